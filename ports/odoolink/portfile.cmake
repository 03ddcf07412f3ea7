# Overlay port: builds odoolink from the repository this port lives in.
#   vcpkg install odoolink[curl,xmlrpc,sqlite,postgres] --overlay-ports=<repo>/ports
# A registry port would fetch a release with vcpkg_from_github instead.
get_filename_component(SOURCE_PATH "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)

# No dllexport annotations: DLLs would export nothing.
if(VCPKG_TARGET_IS_WINDOWS)
  vcpkg_check_linkage(ONLY_STATIC_LIBRARY)
endif()

vcpkg_check_features(OUT_FEATURE_OPTIONS FEATURE_OPTIONS
  FEATURES
    curl     ODOOLINK_WITH_CURL
    xmlrpc   ODOOLINK_WITH_XMLRPC
    sqlite   ODOOLINK_WITH_SQLITE
    postgres ODOOLINK_WITH_POSTGRES
)

vcpkg_cmake_configure(
  SOURCE_PATH "${SOURCE_PATH}"
  OPTIONS
    ${FEATURE_OPTIONS}
    -DODOOLINK_INSTALL=ON
    -DODOOLINK_BUILD_TESTS=OFF
    -DODOOLINK_BUILD_EXAMPLES=OFF
    -DODOOLINK_BUILD_BENCHMARKS=OFF
    -DODOOLINK_BUILD_CLI=OFF
    -DODOOLINK_BUILD_FUZZERS=OFF
)
vcpkg_cmake_install()
vcpkg_cmake_config_fixup(CONFIG_PATH "lib/cmake/odoolink")
vcpkg_fixup_pkgconfig()

file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/debug/include" "${CURRENT_PACKAGES_DIR}/debug/share")

file(GLOB _odoolink_license "${SOURCE_PATH}/LICENSE*")
if(_odoolink_license)
  vcpkg_install_copyright(FILE_LIST ${_odoolink_license})
else()
  message(FATAL_ERROR "odoolink: no LICENSE file in ${SOURCE_PATH}")
endif()
