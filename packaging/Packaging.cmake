# The Debian package for counter PCs: `cpack -G DEB` in a Release tree configured with
# -DCMAKE_INSTALL_PREFIX=/usr (scripts/package.sh does both) gives kakanai_<version>_amd64.deb.
# Depends is computed from the shared libraries actually linked (dpkg-shlibdeps) plus what the
# agent needs at run time without linking it: pcscd and the three font packages of
# fonts/manifest.json. CUPS is recommended: without it the agent still fills forms, and prints
# to the IPP printers its configuration names.

set(KAKANAI_DEB_DIR ${CMAKE_CURRENT_LIST_DIR}/debian)

# The systemd user unit, pointing at the installed binary.
configure_file(${PROJECT_SOURCE_DIR}/deploy/kakanai-agent.service.in
  ${PROJECT_BINARY_DIR}/deploy/kakanai-agent.service @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/deploy/kakanai-agent.service DESTINATION lib/systemd/user)
# The example configuration as the PC's configuration (a conffile: dpkg keeps a changed one on upgrade).
install(FILES ${PROJECT_SOURCE_DIR}/deploy/agent.example.json DESTINATION ${CMAKE_INSTALL_FULL_SYSCONFDIR}/kakanai
  RENAME agent.json)

# Debian's documentation files: copyright (DEP-5), the changelog and the manual pages, gzipped
# as Debian's policy asks (a native package: changelog.gz).
set(KAKANAI_DEB_OUT ${PROJECT_BINARY_DIR}/packaging)
set(KAKANAI_DEB_GZ ${KAKANAI_DEB_OUT}/changelog.gz ${KAKANAI_DEB_OUT}/kakanai-agent.1.gz
  ${KAKANAI_DEB_OUT}/kakanai-virtual-card.1.gz)
add_custom_command(OUTPUT ${KAKANAI_DEB_GZ}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${KAKANAI_DEB_OUT}
  COMMAND sh -c "sed 's/@VERSION@/${PROJECT_VERSION}/' changelog | gzip -9n > '${KAKANAI_DEB_OUT}/changelog.gz'"
  COMMAND sh -c "gzip -9nc kakanai-agent.1 > '${KAKANAI_DEB_OUT}/kakanai-agent.1.gz'"
  COMMAND sh -c "gzip -9nc kakanai-virtual-card.1 > '${KAKANAI_DEB_OUT}/kakanai-virtual-card.1.gz'"
  WORKING_DIRECTORY ${KAKANAI_DEB_DIR}
  DEPENDS ${KAKANAI_DEB_DIR}/changelog ${KAKANAI_DEB_DIR}/kakanai-agent.1 ${KAKANAI_DEB_DIR}/kakanai-virtual-card.1
  VERBATIM)
add_custom_target(kakanai_deb_docs ALL DEPENDS ${KAKANAI_DEB_GZ})
install(FILES ${KAKANAI_DEB_DIR}/copyright ${KAKANAI_DEB_OUT}/changelog.gz DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/kakanai)
install(FILES ${KAKANAI_DEB_OUT}/kakanai-agent.1.gz ${KAKANAI_DEB_OUT}/kakanai-virtual-card.1.gz
  DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME kakanai)
# The upgrade test packs the same tree as an older version: cpack -D CPACK_PACKAGE_VERSION=0.1.0~prev
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Kakanai maintainers <maintainers@users.noreply.b-seed-5ace61b3.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "My Number card reading and form filling for no-writing counters")
set(CPACK_PACKAGE_DESCRIPTION "The local agent of a Japanese municipal no-writing counter.
It reads a resident's My Number card over PC/SC, fills the
municipality's PDF forms with Japanese typesetting, prints them,
records staff attendance by card tap, and serves the browser-based
counter system over a loopback WebSocket.")
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://madoguchi.example.lg.jp/kakanai")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "pcscd, fonts-morisawa-bizud-mincho, fonts-morisawa-bizud-gothic, fonts-ipamj-mincho")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "cups")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${KAKANAI_DEB_DIR}/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Only the package's own directories are listed in it; /usr, /etc etc. belong to base-files.
set(CPACK_DEBIAN_PACKAGE_DEBUG OFF)
include(CPack)
