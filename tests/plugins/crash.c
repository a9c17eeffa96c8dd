/* A plugin that crashes the process mid-read, as a buggy plugin might: the
 * next run must name it rather than fail anonymously. */
#include <stdlib.h>
#include <string.h>

#include <vigil/plugin.h>

static vigil_status create(const vigil_host_api* host, const vigil_setting* s, size_t n, void** out) {
  (void)s; (void)n;
  *out = (void*)host;
  return VIGIL_OK;
}

static vigil_status read_all(void* p) {
  const vigil_host_api* h = p;
  vigil_entity e;
  memset(&e, 0, sizeof e);
  e.struct_size = sizeof e;
  e.kind.data = "school"; e.kind.size = 6;
  e.key.data = "999999"; e.key.size = 6;
  h->emit_entity(h->host, &e);
  abort();
}

static void destroy(void* p) { (void)p; }

static const vigil_plugin_descriptor kDescriptor = {
  sizeof(vigil_plugin_descriptor), VIGIL_ABI_MAJOR, VIGIL_ABI_MINOR, "crash", "0.1.0",
  "Crashes the process while reading.", "nothing", 0, 0, create, read_all, destroy};

VIGIL_EXPORT const vigil_plugin_descriptor* vigil_plugin_entry_v1(void) { return &kDescriptor; }
