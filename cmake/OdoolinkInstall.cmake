# Install rules, the CMake package (odoolinkConfig.cmake + version + targets),
# a pkg-config file, and an export of the build tree.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(ODOOLINK_CMAKE_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/odoolink")
set(ODOOLINK_PKGCONFIG_DIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig")

install(TARGETS odoolink odoolink_testing
  EXPORT odoolinkTargets
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT odoolink_Development
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}" COMPONENT odoolink_Runtime
          NAMELINK_COMPONENT odoolink_Development
  RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}" COMPONENT odoolink_Runtime)

install(DIRECTORY include/odoolink
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}"
  COMPONENT odoolink_Development
  FILES_MATCHING PATTERN "*.hpp")
install(FILES "${PROJECT_BINARY_DIR}/include/odoolink/version.hpp"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}/odoolink"
  COMPONENT odoolink_Development)

# --- CMake package -------------------------------------------------------
# The config and version files are written to the top of the build tree, next
# to the exported build-tree targets, so `odoolink_DIR=<build dir>` works too.
install(EXPORT odoolinkTargets
  NAMESPACE odoolink::
  DESTINATION "${ODOOLINK_CMAKE_DIR}"
  COMPONENT odoolink_Development)
export(EXPORT odoolinkTargets
  NAMESPACE odoolink::
  FILE "${PROJECT_BINARY_DIR}/odoolinkTargets.cmake")

get_target_property(_odoolink_type odoolink TYPE)
if(_odoolink_type STREQUAL "SHARED_LIBRARY")
  set(ODOOLINK_SHARED ON)
else()
  set(ODOOLINK_SHARED OFF)
endif()
configure_package_config_file(cmake/odoolinkConfig.cmake.in
  "${PROJECT_BINARY_DIR}/odoolinkConfig.cmake"
  INSTALL_DESTINATION "${ODOOLINK_CMAKE_DIR}"
  NO_SET_AND_CHECK_MACRO)
# Before 1.0 a minor release may break the API; from 1.0 only a major one.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(_odoolink_compatibility SameMinorVersion)
else()
  set(_odoolink_compatibility SameMajorVersion)
endif()
write_basic_package_version_file("${PROJECT_BINARY_DIR}/odoolinkConfigVersion.cmake"
  VERSION "${PROJECT_VERSION}"
  COMPATIBILITY ${_odoolink_compatibility})
install(FILES
  "${PROJECT_BINARY_DIR}/odoolinkConfig.cmake"
  "${PROJECT_BINARY_DIR}/odoolinkConfigVersion.cmake"
  DESTINATION "${ODOOLINK_CMAKE_DIR}"
  COMPONENT odoolink_Development)

# --- pkg-config ----------------------------------------------------------
# The prefix is computed from the .pc file's own location, so the file stays
# right when the install prefix is chosen at install time (cmake --install
# --prefix) or the tree is moved (Conan, vcpkg).
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(ODOOLINK_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
  set(ODOOLINK_PC_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
else()
  file(RELATIVE_PATH _odoolink_pc_up "/p/${ODOOLINK_PKGCONFIG_DIR}" "/p")
  string(REGEX REPLACE "/$" "" _odoolink_pc_up "${_odoolink_pc_up}")
  set(ODOOLINK_PC_PREFIX "\${pcfiledir}/${_odoolink_pc_up}")
  set(ODOOLINK_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
endif()
if(IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
  set(ODOOLINK_PC_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}")
else()
  set(ODOOLINK_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
endif()

# Private dependencies of a static library must be linked by the consumer,
# so they are plain requirements unless odoolink is a shared library.
set(_odoolink_pc_public ${ODOOLINK_PC_REQUIRES})
set(_odoolink_pc_private "")
if(_odoolink_type STREQUAL "SHARED_LIBRARY")
  list(APPEND _odoolink_pc_private ${ODOOLINK_PC_REQUIRES_PRIVATE})
else()
  list(APPEND _odoolink_pc_public ${ODOOLINK_PC_REQUIRES_PRIVATE})
endif()
list(JOIN _odoolink_pc_public ", " ODOOLINK_PC_REQUIRES_LINE)
list(JOIN _odoolink_pc_private ", " ODOOLINK_PC_REQUIRES_PRIVATE_LINE)

# Public compile definitions (the ODOOLINK_HAS_* feature macros) and Boost's
# include directory when it is not one the compiler searches anyway.
set(ODOOLINK_PC_CFLAGS "")
get_target_property(_odoolink_defs odoolink INTERFACE_COMPILE_DEFINITIONS)
if(_odoolink_defs)
  foreach(_def IN LISTS _odoolink_defs)
    string(APPEND ODOOLINK_PC_CFLAGS " -D${_def}")
  endforeach()
endif()
foreach(_dir IN LISTS Boost_INCLUDE_DIRS)
  if(NOT _dir IN_LIST CMAKE_CXX_IMPLICIT_INCLUDE_DIRECTORIES)
    string(APPEND ODOOLINK_PC_CFLAGS " -I${_dir}")
  endif()
endforeach()

configure_file(cmake/odoolink.pc.in "${PROJECT_BINARY_DIR}/odoolink.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/odoolink.pc"
  DESTINATION "${ODOOLINK_PKGCONFIG_DIR}"
  COMPONENT odoolink_Development)
