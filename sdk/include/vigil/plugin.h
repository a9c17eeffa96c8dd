/*
 * vigil/plugin.h: the public C ABI between Vigil and its data-source plugins.
 *
 * A plugin is a shared library that exports one function, VIGIL_ENTRY_NAME
 * ("vigil_plugin_entry_v1"), returning a pointer to a static descriptor. The
 * host checks the descriptor's ABI major version and size, then creates an
 * instance with the job's settings and calls read(), during which the plugin
 * streams entities, observations and rejected rows back through the host API.
 *
 * Rules that keep the ABI stable:
 *  - Structs start with a size (and, for the two tables, a version) field and
 *    only ever grow at the end; each field's comment says since which version
 *    it exists. Readers check struct_size before touching a newer field.
 *  - A major change renames the entry symbol (…_v2), so a host never calls a
 *    plugin it cannot understand.
 *  - Strings cross as pointer + length and are valid only during the call;
 *    neither side frees or keeps the other's memory.
 *  - No C++ exception or longjmp may cross this boundary: functions report
 *    failure with a vigil_status and a message through host->error().
 *  - A plugin built for a newer minor version than the host's checks
 *    host->abi_minor and host->struct_size before calling a newer callback
 *    (vigil/plugin.hpp does this), so it still runs, with less accounting,
 *    on an older host; a host checks a plugin's abi_minor the same way.
 *
 * Every row accounted for (since 1.2): each data row of a file ends as
 * stored, skipped (valid but not used: filtered, outside the register, no
 * date, not applicable...) or rejected (something is wrong with it). The
 * plugin tells the host how many rows it read (rows_read) and how many it
 * skipped and why (skip_rows); the host counts the rejected rows from
 * reject_row and the rest are stored, so the counts add up to the file.
 * A skipped row must not also be rejected.
 *
 * Thread safety: the host calls a plugin instance from one thread at a time;
 * host API functions must be called from the thread that called read().
 */
#ifndef VIGIL_PLUGIN_H_
#define VIGIL_PLUGIN_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VIGIL_ABI_MAJOR 1
#define VIGIL_ABI_MINOR 2
#define VIGIL_ENTRY_NAME "vigil_plugin_entry_v1"

/* Exported with default visibility and C linkage, whatever the compiler. */
#if defined(__GNUC__)
#define VIGIL_EXPORT __attribute__((visibility("default")))
#else
#define VIGIL_EXPORT
#endif

typedef enum vigil_status {
  VIGIL_OK = 0,
  VIGIL_ERROR = 1,     /* failed; the message was passed to host->error() */
  VIGIL_CANCELLED = 2  /* stopped because host->cancelled() returned non-zero */
} vigil_status;

typedef enum vigil_log_level {
  VIGIL_LOG_TRACE = 0,
  VIGIL_LOG_DEBUG = 1,
  VIGIL_LOG_INFO = 2,
  VIGIL_LOG_WARN = 3,
  VIGIL_LOG_ERROR = 4
} vigil_log_level;

/* A borrowed UTF-8 string; not necessarily NUL-terminated. */
typedef struct vigil_str {
  const char* data; /* since 1.0; may be NULL when size is 0 */
  size_t size;      /* since 1.0 */
} vigil_str;

typedef enum vigil_setting_type {
  VIGIL_SETTING_STRING = 0,
  VIGIL_SETTING_INTEGER = 1,
  VIGIL_SETTING_BOOLEAN = 2, /* passed as "true" or "false" */
  /* A file or folder. The host resolves it against the job file's folder and
     refuses a path outside the job's allowed folders, so a plugin receives
     an absolute, checked path. */
  VIGIL_SETTING_PATH = 3,
  /* A list of strings (a TOML array in the job), passed joined by '\n'. */
  VIGIL_SETTING_LIST = 4
} vigil_setting_type;

/* One setting a plugin accepts; the host validates a job against these and
   prints them in `vigil plugins info NAME`. */
typedef struct vigil_setting_decl {
  const char* name;          /* since 1.0; snake_case */
  vigil_setting_type type;   /* since 1.0 */
  int required;              /* since 1.0; non-zero if the job must set it */
  const char* default_value; /* since 1.0; NULL when none */
  const char* help;          /* since 1.0; one sentence */
} vigil_setting_decl;

/* A setting's value as given by the job (or its declared default). */
typedef struct vigil_setting {
  vigil_str name;  /* since 1.0 */
  vigil_str value; /* since 1.0 */
} vigil_setting;

typedef struct vigil_attribute {
  vigil_str name;  /* since 1.0; e.g. "phase" */
  vigil_str value; /* since 1.0; e.g. "Primary" */
} vigil_attribute;

/* Something that is assessed: a school, a recommendation, a KPI… Emitting
   the same (kind, key) again updates its name and merges its attributes. */
typedef struct vigil_entity {
  uint32_t struct_size;              /* since 1.0; sizeof(vigil_entity) */
  vigil_str kind;                    /* since 1.0; e.g. "school" */
  vigil_str key;                     /* since 1.0; e.g. the URN "103456" */
  vigil_str name;                    /* since 1.0; may be empty */
  const vigil_attribute* attributes; /* since 1.0; may be NULL */
  size_t attribute_count;            /* since 1.0 */
} vigil_entity;

/* One dated fact about an entity. A value is numeric (has_number != 0),
   textual (a category such as "Good"), or missing with a reason kept in
   text (e.g. "c: confidential"); missing is never stored as zero. */
typedef struct vigil_observation {
  uint32_t struct_size;   /* since 1.0; sizeof(vigil_observation) */
  vigil_str entity_kind;  /* since 1.0 */
  vigil_str entity_key;   /* since 1.0 */
  vigil_str measure;      /* since 1.0; snake_case, e.g. "ks2_rwm_expected" */
  vigil_str as_of;        /* since 1.0; ISO date "YYYY-MM-DD" */
  int has_number;         /* since 1.0 */
  double number;          /* since 1.0; meaningful when has_number */
  vigil_str text;         /* since 1.0; textual value or missing reason */
  /* Where the value was read, so the host can name it if it must refuse it
     (e.g. a second, different value for the same entity, measure and date). */
  vigil_str file;         /* since 1.1; may be empty */
  uint64_t line;          /* since 1.1; 1-based line or row, 0 if unknown */
} vigil_observation;

/* The size of a 1.0 vigil_observation: hosts accept any struct_size from
   this up and read the 1.1 fields only when struct_size covers them. */
#define VIGIL_OBSERVATION_SIZE_1_0 (offsetof(vigil_observation, file))

/* A row the plugin could not use, with enough detail for an officer to fix
   it. Rejected rows are reported in the run and never silently dropped. */
typedef struct vigil_rejection {
  uint32_t struct_size; /* since 1.0; sizeof(vigil_rejection) */
  vigil_str file;       /* since 1.0 */
  uint64_t line;        /* since 1.0; 1-based physical line, 0 if unknown */
  vigil_str field;      /* since 1.0; column name, may be empty */
  vigil_str value;      /* since 1.0; the offending value, may be empty */
  vigil_str reason;     /* since 1.0; plain English */
} vigil_rejection;

/* Rows of a file that were valid but not used, all for one reason (since
   1.2). Skipped rows are counted and shown per reason; unlike rejected rows
   they never change an exit code or trip on_reject. */
typedef struct vigil_skipped_rows {
  uint32_t struct_size;  /* since 1.2; sizeof(vigil_skipped_rows) */
  vigil_str file;        /* since 1.2; the file the rows are in */
  /* since 1.2; short and plain, the same text for every row skipped for
     this reason, e.g. "outside the register" or "filtered (where)". */
  vigil_str reason;
  uint64_t count;        /* since 1.2; rows skipped for this reason */
  uint64_t first_line;   /* since 1.2; the first such row's line, 0 if unknown */
} vigil_skipped_rows;

/* What the host offers a plugin. Every callback takes `host` as its first
   argument. emit_* and reject_row return VIGIL_OK, or VIGIL_ERROR when the
   host refuses the record (the host has recorded why; the plugin should stop
   and return VIGIL_ERROR from read()). */
typedef struct vigil_host_api {
  uint32_t struct_size; /* since 1.0; sizeof(vigil_host_api) */
  uint16_t abi_major;   /* since 1.0 */
  uint16_t abi_minor;   /* since 1.0 */
  void* host;           /* since 1.0; opaque, pass back unchanged */
  void (*log)(void* host, vigil_log_level level, vigil_str message); /* 1.0 */
  /* Sets the message explaining the VIGIL_ERROR about to be returned. */
  void (*error)(void* host, vigil_str message);                      /* 1.0 */
  vigil_status (*emit_entity)(void* host, const vigil_entity* e);    /* 1.0 */
  vigil_status (*emit_observation)(void* host,
                                   const vigil_observation* o);      /* 1.0 */
  vigil_status (*reject_row)(void* host, const vigil_rejection* r);  /* 1.0 */
  /* Work done so far and in total (e.g. bytes); total 0 if unknown. */
  void (*progress)(void* host, uint64_t done, uint64_t total);       /* 1.0 */
  /* Non-zero when the run is being stopped; check it now and then. */
  int (*cancelled)(void* host);                                      /* 1.0 */
  /* Rows skipped for one reason; may be called once per reason at the end
     of a file (counts add up). Call only when abi_minor >= 2 and
     struct_size covers it. */
  vigil_status (*skip_rows)(void* host,
                            const vigil_skipped_rows* s);            /* 1.2 */
  /* The number of data rows read from `file` (records after the header,
     empty ones included), once per file when it has been read. Call only
     when abi_minor >= 2 and struct_size covers it. */
  void (*rows_read)(void* host, vigil_str file, uint64_t rows);      /* 1.2 */
} vigil_host_api;

/* The size of a 1.0 or 1.1 vigil_host_api: a plugin calls skip_rows and
   rows_read only when the host's struct_size is larger than this. */
#define VIGIL_HOST_API_SIZE_1_1 (offsetof(vigil_host_api, skip_rows))

/* The static description a plugin's entry function returns. */
typedef struct vigil_plugin_descriptor {
  uint32_t struct_size; /* since 1.0; sizeof(vigil_plugin_descriptor) */
  uint16_t abi_major;   /* since 1.0; VIGIL_ABI_MAJOR the plugin was built with */
  uint16_t abi_minor;   /* since 1.0; VIGIL_ABI_MINOR the plugin was built with */
  const char* name;        /* since 1.0; unique, snake_case, e.g. "csv" */
  const char* version;     /* since 1.0; the plugin's own version, "1.2.0" */
  const char* description; /* since 1.0; one sentence */
  const char* emits;       /* since 1.0; e.g. "school entities, observations" */
  const vigil_setting_decl* settings; /* since 1.0 */
  size_t setting_count;               /* since 1.0 */
  /* Validates settings and prepares an instance. On VIGIL_ERROR, the reason
     went to host->error() and *instance is left NULL. `host` outlives the
     instance. */
  vigil_status (*create)(const vigil_host_api* host,
                         const vigil_setting* settings, size_t setting_count,
                         void** instance);      /* since 1.0 */
  /* Streams every record through the host API. Called once. */
  vigil_status (*read)(void* instance);          /* since 1.0 */
  /* Frees the instance; safe with NULL. */
  void (*destroy)(void* instance);               /* since 1.0 */
} vigil_plugin_descriptor;

typedef const vigil_plugin_descriptor* (*vigil_plugin_entry_fn)(void);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* VIGIL_PLUGIN_H_ */
