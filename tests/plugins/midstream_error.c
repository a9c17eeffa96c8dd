/* A plugin written in plain C that emits `count` schools with one
 * observation each, then fails: tests that a failed source leaves the store
 * untouched and that a C plugin works through the ABI. */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

#include <vigil/plugin.h>

typedef struct instance {
  const vigil_host_api* host;
  int count;
  char* message;  /* the error it ends with */
} instance;

static vigil_str str(const char* s) { vigil_str v; v.data = s; v.size = strlen(s); return v; }

static vigil_status create(const vigil_host_api* host, const vigil_setting* settings, size_t n,
                           void** out) {
  instance* self = calloc(1, sizeof *self);
  if (!self) return VIGIL_ERROR;
  self->host = host;
  self->count = 3;
  for (size_t i = 0; i < n; ++i) {
    if (settings[i].name.size == 5 && memcmp(settings[i].name.data, "count", 5) == 0) {
      char buffer[32] = {0};
      memcpy(buffer, settings[i].value.data, settings[i].value.size < 31 ? settings[i].value.size : 31);
      self->count = atoi(buffer);
    }
    if (settings[i].name.size == 7 && memcmp(settings[i].name.data, "message", 7) == 0) {
      free(self->message);
      self->message = calloc(1, settings[i].value.size + 1);
      if (self->message) memcpy(self->message, settings[i].value.data, settings[i].value.size);
    }
  }
  *out = self;
  return VIGIL_OK;
}

static vigil_status read_all(void* p) {
  instance* self = p;
  const vigil_host_api* h = self->host;
  for (int i = 0; i < self->count; ++i) {
    char key[32];
    snprintf(key, sizeof key, "9%05d", i);
    vigil_entity e;
    memset(&e, 0, sizeof e);
    e.struct_size = sizeof e;
    e.kind = str("school");
    e.key = str(key);
    e.name = str("Midstream School");
    if (h->emit_entity(h->host, &e) != VIGIL_OK) return VIGIL_ERROR;
    vigil_observation o;
    memset(&o, 0, sizeof o);
    o.struct_size = sizeof o;
    o.entity_kind = str("school");
    o.entity_key = str(key);
    o.measure = str("pupils");
    o.as_of = str("2023-01-19");
    o.has_number = 1;
    o.number = 100 + i;
    if (h->emit_observation(h->host, &o) != VIGIL_OK) return VIGIL_ERROR;
  }
  h->error(h->host, str(self->message ? self->message : "the upstream file was truncated after the last school"));
  return VIGIL_ERROR;
}

static void destroy(void* p) {
  instance* self = p;
  free(self->message);
  free(self);
}

static const vigil_setting_decl kSettings[] = {
  {"count", VIGIL_SETTING_INTEGER, 0, "3", "How many schools to emit before failing."},
  {"message", VIGIL_SETTING_STRING, 0, NULL, "The error it fails with."},
};

static const vigil_plugin_descriptor kDescriptor = {
  sizeof(vigil_plugin_descriptor), VIGIL_ABI_MAJOR, VIGIL_ABI_MINOR, "midstream_error", "0.1.0",
  "Emits a few schools, then fails.", "school entities, pupils", kSettings, 2,
  create, read_all, destroy};

VIGIL_EXPORT const vigil_plugin_descriptor* vigil_plugin_entry_v1(void) { return &kDescriptor; }
