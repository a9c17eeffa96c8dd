/* A plugin in plain C that emits, from a made-up "visits.csv", one school
 * and then observations the host must refuse (a date that does not exist,
 * no measure, a number that is not finite, a school no source registered),
 * each with the file and line it says it read them from, and one good one:
 * tests that host-side rejections name that file and line and the field
 * that is wrong. */
#include <math.h>
#include <string.h>

#include <vigil/plugin.h>

static vigil_str str(const char* s) { vigil_str v; v.data = s; v.size = strlen(s); return v; }

static vigil_status create(const vigil_host_api* host, const vigil_setting* settings, size_t n, void** out) {
  (void)settings;
  (void)n;
  *out = (void*)host;
  return VIGIL_OK;
}

static vigil_status observe(const vigil_host_api* h, const char* key, const char* measure, const char* as_of,
                            double number, uint64_t line) {
  vigil_observation o;
  memset(&o, 0, sizeof o);
  o.struct_size = sizeof o;
  o.entity_kind = str("school");
  o.entity_key = str(key);
  o.measure = str(measure);
  o.as_of = str(as_of);
  o.has_number = 1;
  o.number = number;
  o.file = str("visits.csv");
  o.line = line;
  return h->emit_observation(h->host, &o);
}

static vigil_status read_all(void* p) {
  const vigil_host_api* h = p;
  vigil_entity e;
  memset(&e, 0, sizeof e);
  e.struct_size = sizeof e;
  e.kind = str("school");
  e.key = str("900001");
  e.name = str("Visited School");
  if (h->emit_entity(h->host, &e) != VIGIL_OK) return VIGIL_ERROR;
  if (observe(h, "900001", "pupils", "2023-02-30", 210, 7) != VIGIL_OK) return VIGIL_ERROR;
  if (observe(h, "900001", "", "2023-01-19", 210, 8) != VIGIL_OK) return VIGIL_ERROR;
  if (observe(h, "900001", "pupils", "2023-01-19", NAN, 9) != VIGIL_OK) return VIGIL_ERROR;
  if (observe(h, "999999", "pupils", "2023-01-19", 180, 10) != VIGIL_OK) return VIGIL_ERROR;
  if (observe(h, "900001", "pupils", "2023-01-19", 210, 11) != VIGIL_OK) return VIGIL_ERROR;
  return VIGIL_OK;
}

static void destroy(void* p) { (void)p; }

static const vigil_plugin_descriptor kDescriptor = {
  sizeof(vigil_plugin_descriptor), VIGIL_ABI_MAJOR, VIGIL_ABI_MINOR, "malformed_records", "0.1.0",
  "Emits a school and observations the host must refuse, each with its file and line.",
  "school entities, pupils", NULL, 0, create, read_all, destroy};

VIGIL_EXPORT const vigil_plugin_descriptor* vigil_plugin_entry_v1(void) { return &kDescriptor; }
