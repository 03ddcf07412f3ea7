# odoolink from a tagged release, as a registry builds it. To build a checkout
# instead (development, CI, an overlay before a release exists), name it in
# ODOOLINK_SOURCE_DIR and let the variable through vcpkg's clean environment:
#   ODOOLINK_SOURCE_DIR=<checkout> VCPKG_KEEP_ENV_VARS=ODOOLINK_SOURCE_DIR \
#     vcpkg install "odoolink[curl,xmlrpc,postgres]" --overlay-ports=<checkout>/ports/odoolink
# vcpkg cannot see changes in that folder: set VCPKG_BINARY_SOURCES=clear so a
# cached package is not taken for the new sources.
if(DEFINED ENV{ODOOLINK_SOURCE_DIR})
  file(REAL_PATH "$ENV{ODOOLINK_SOURCE_DIR}" SOURCE_PATH)
  # The checkout must be the version this port declares.
  file(READ "${SOURCE_PATH}/CMakeLists.txt" _odoolink_lists)
  string(REGEX MATCH "project\\(odoolink[ \t\r\n]+VERSION[ \t\r\n]+([0-9.]+)" _odoolink_match "${_odoolink_lists}")
  if(NOT CMAKE_MATCH_1 STREQUAL VERSION)
    message(FATAL_ERROR "odoolink: ${SOURCE_PATH} is version '${CMAKE_MATCH_1}', this port is ${VERSION}")
  endif()
  message(STATUS "odoolink: building the checkout ${SOURCE_PATH}")
else()
  # SHA512 is the release archive's hash, written when the release is tagged.
  vcpkg_from_github(
    OUT_SOURCE_PATH SOURCE_PATH
    REPO odoolink/odoolink
    REF "v${VERSION}"
    SHA512 0
    HEAD_REF main
  )
endif()

# No export annotations yet: a DLL would export nothing.
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
    -DODOOLINK_SANITIZE=OFF
)
vcpkg_cmake_install()
vcpkg_cmake_config_fixup(PACKAGE_NAME odoolink CONFIG_PATH "lib/cmake/odoolink")
vcpkg_fixup_pkgconfig()

file(REMOVE_RECURSE "${CURRENT_PACKAGES_DIR}/debug/include" "${CURRENT_PACKAGES_DIR}/debug/share")

file(INSTALL "${CMAKE_CURRENT_LIST_DIR}/usage" DESTINATION "${CURRENT_PACKAGES_DIR}/share/${PORT}")
file(GLOB _odoolink_license "${SOURCE_PATH}/LICENSE*")
if(_odoolink_license)
  vcpkg_install_copyright(FILE_LIST ${_odoolink_license})
elseif(DEFINED ENV{ODOOLINK_SOURCE_DIR})
  # A checkout may predate its license file; a release may not.
  message(WARNING "odoolink: no LICENSE file in ${SOURCE_PATH}; the copyright file says so")
  file(WRITE "${CURRENT_PACKAGES_DIR}/share/${PORT}/copyright"
    "odoolink ${VERSION}, built from a checkout that has no LICENSE file: no license terms ship with it.\n")
else()
  message(FATAL_ERROR "odoolink: the release has no LICENSE file")
endif()
