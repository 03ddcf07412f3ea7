# Shared by the ports in this folder. Each of them stands for a library that
# the machine's package manager installed; the port checks that the library is
# there, installs nothing, and lets find_package() find the system copy
# (vcpkg's toolchain searches its installed tree first, then the system).
#
#   odoolink_system_package(HEADER <file> [PATH_SUFFIXES <dir>...]
#                           PACKAGE <distribution package names>)
# Fails the port with the package to install when the header is missing.
function(odoolink_system_package)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "HEADER;PACKAGE" "PATH_SUFFIXES")
  # Debian puts some headers (libcurl's) under a multiarch folder.
  file(GLOB _odoolink_multiarch LIST_DIRECTORIES true "/usr/include/*-linux-gnu*")
  find_path(_odoolink_header_dir NAMES "${arg_HEADER}"
    PATHS /usr/local/include /usr/include ${_odoolink_multiarch}
    PATH_SUFFIXES ${arg_PATH_SUFFIXES}
    NO_DEFAULT_PATH NO_CACHE)
  if(NOT _odoolink_header_dir)
    message(FATAL_ERROR "${PORT} defers to the system's library, but ${arg_HEADER} is not installed: "
                        "install ${arg_PACKAGE}, or drop this overlay to build ${PORT} from vcpkg's port.")
  endif()
  string(REGEX REPLACE "/+$" "" _odoolink_header_dir "${_odoolink_header_dir}")
  message(STATUS "${PORT}: using the system's copy (${_odoolink_header_dir}/${arg_HEADER})")
  set(VCPKG_POLICY_EMPTY_PACKAGE enabled PARENT_SCOPE)
endfunction()
