/* A plugin whose descriptor claims ABI 2.3 under the version 1 entry name. */
#include <vigil/plugin.h>

static vigil_status create(const vigil_host_api* host, const vigil_setting* s, size_t n, void** out) {
  (void)host; (void)s; (void)n; *out = 0; return VIGIL_ERROR;
}
static vigil_status read_all(void* instance) { (void)instance; return VIGIL_ERROR; }
static void destroy(void* instance) { (void)instance; }

static const vigil_plugin_descriptor kDescriptor = {
  sizeof(vigil_plugin_descriptor), 2, 3, "bad_major", "0.1.0", "claims ABI 2.3", "nothing",
  0, 0, create, read_all, destroy};

VIGIL_EXPORT const vigil_plugin_descriptor* vigil_plugin_entry_v1(void) { return &kDescriptor; }
