/* A plugin whose descriptor leaves read() NULL: the host must refuse it at
 * load time rather than call a null pointer during a run. */
#include <vigil/plugin.h>

static vigil_status create(const vigil_host_api* host, const vigil_setting* s, size_t n, void** out) {
  (void)host; (void)s; (void)n; *out = 0; return VIGIL_OK;
}
static void destroy(void* instance) { (void)instance; }

static const vigil_plugin_descriptor kDescriptor = {
  sizeof(vigil_plugin_descriptor), VIGIL_ABI_MAJOR, VIGIL_ABI_MINOR, "null_functions", "0.1.0",
  "Has no read function.", "nothing", 0, 0, create, 0, destroy};

VIGIL_EXPORT const vigil_plugin_descriptor* vigil_plugin_entry_v1(void) { return &kDescriptor; }
