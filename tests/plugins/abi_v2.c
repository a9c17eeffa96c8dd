/* A plugin built for a future ABI 2: it exports vigil_plugin_entry_v2 only. */
#include <vigil/plugin.h>

VIGIL_EXPORT const void* vigil_plugin_entry_v2(void) { return 0; }
