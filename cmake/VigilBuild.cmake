# Shared build settings: every target links vigil_settings, and plugins are
include(GNUInstallDirs)
# declared with vigil_add_plugin().

set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
set(CMAKE_POSITION_INDEPENDENT_CODE ON)
if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
  set(CMAKE_BUILD_TYPE RelWithDebInfo CACHE STRING "Build type" FORCE)
endif()

# The CLI lands at build/vigil and plugins in build/plugins, as the README says.
set(CMAKE_RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR})
set(VIGIL_PLUGIN_OUTPUT_DIR ${CMAKE_BINARY_DIR}/plugins)

add_library(vigil_settings INTERFACE)
target_compile_options(vigil_settings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Woverloaded-virtual
  $<$<COMPILE_LANGUAGE:C>:-Wno-old-style-cast>)
if(VIGIL_SANITIZE)
  target_compile_options(vigil_settings INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(vigil_settings INTERFACE -fsanitize=address,undefined)
endif()

# vigil_add_plugin(NAME SOURCES...): a data-source plugin as a MODULE library
# that sees only the SDK, exports only its entry symbol and resolves every
# symbol at link time (so a missing one fails the build, not a run).
function(vigil_add_plugin name)
  add_library(vigil_plugin_${name} MODULE ${ARGN})
  set_target_properties(vigil_plugin_${name} PROPERTIES
    OUTPUT_NAME vigil_${name}
    PREFIX "lib"
    LIBRARY_OUTPUT_DIRECTORY ${VIGIL_PLUGIN_OUTPUT_DIR}
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_link_libraries(vigil_plugin_${name} PRIVATE vigil::sdk vigil_settings)
  target_link_options(vigil_plugin_${name} PRIVATE -Wl,--no-undefined)
  install(TARGETS vigil_plugin_${name} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/vigil/plugins)
endfunction()
