# The Debian package: `cpack -G DEB` in a build folder makes vigil_<version>_<arch>.deb
# with everything `cmake --install` installs (CLI, plugins, default rule packs, the
# SDK with its CMake package and template, the demo, the systemd units). Its
# dependencies are the shared libraries the binaries link, found by dpkg-shlibdeps.
# Build it with -DCMAKE_INSTALL_PREFIX=/usr for a package that installs under /usr.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME vigil)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "which schools need help, and why: reports from school data and Lua rule packs")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Vigil reads a school-improvement service's files (the DfE's register of schools,
Ofsted outcomes, attainment and absence tables, local spreadsheets) through
data-source plugins, applies Lua rule packs that officers edit, and writes HTML,
CSV and JSON reports that give every school a category and the plain reasons
for it. Every run is recorded. Includes the plugin SDK and a demo job.")
set(CPACK_PACKAGE_CONTACT "Vigil maintainers <vigil@example.org>")
# The paths compiled into the binaries and written into the units are the
# build's install prefix, so the package installs there too.
set(CPACK_PACKAGING_INSTALL_PREFIX ${CMAKE_INSTALL_PREFIX})
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# adduser: the postinst creates the `vigil` user the units run as. A plugin
# author also needs a compiler and CMake for the SDK.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "cmake, g++")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libgtest-dev, chromium")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  ${PROJECT_SOURCE_DIR}/deploy/debian/postinst ${PROJECT_SOURCE_DIR}/deploy/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
