# `cmake --install` and `cpack -G DEB` (docs/install.md).
#
#   <prefix>/bin/jcm                      the command line
#   <prefix>/share/jcm/methodologies/     the MRV methodology definitions (methodologies/)
#   <prefix>/share/jcm/web/               the built web application (web/dist, `make web`)
#   <prefix>/share/doc/jcm/               README.md and docs/ (JCM_INSTALL_DOCS)
#
# jcm finds share/jcm relative to its own location (src/service/install_paths.h: the executable's
# directory/../share/jcm), so bin/ and share/ are fixed names here rather than
# CMAKE_INSTALL_BINDIR and CMAKE_INSTALL_DATADIR, which could move one without the other.
include_guard(GLOBAL)

option(JCM_INSTALL_DOCS "Install README.md and docs/ under share/doc/jcm" ON)

install(TARGETS jcm RUNTIME DESTINATION bin)
install(DIRECTORY "${PROJECT_SOURCE_DIR}/methodologies/" DESTINATION share/jcm/methodologies)
# Only the built assets (never web/'s sources or node_modules); OPTIONAL: a build without
# `make web` installs the API alone, and jcm serve says so on start.
install(DIRECTORY "${PROJECT_SOURCE_DIR}/web/dist/" DESTINATION share/jcm/web OPTIONAL)
if(JCM_INSTALL_DOCS)
  install(FILES "${PROJECT_SOURCE_DIR}/README.md" DESTINATION share/doc/jcm)
  install(DIRECTORY "${PROJECT_SOURCE_DIR}/docs/" DESTINATION share/doc/jcm/docs)
endif()

# The Debian package: the same tree under /usr. Its Depends come from dpkg-shlibdeps (dpkg-dev),
# which reads the shared libraries jcm links (libsqlite3, libssl, libxlsxwriter, libminizip,
# libexpat, the C++ runtime; the sanitizer runtimes of a JCM_SANITIZE build), so the package
# names exactly the libraries of the binary it carries. Build it from a Release tree.
set(CPACK_PACKAGE_NAME jcm)
set(CPACK_PACKAGE_VENDOR "jcm maintainers")
set(CPACK_PACKAGE_CONTACT "jcm maintainers <maintainers@users.noreply.r-seed-d7cc854e.example>")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Joint Crediting Mechanism registry: credit ledger, project cycle and MRV engine")
set(CPACK_PACKAGE_DESCRIPTION
    "jcm keeps the registries of Japan's Joint Crediting Mechanism: credit serial blocks with a \
hash-chained journal in SQLite, the project cycle run by the Joint Committees, and the MRV \
engine that turns monitoring data into emission reductions. This package holds the jcm \
command and its methodology definitions.")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
include(CPack)
