# Finds odoolink's dependencies and records them, so the installed package
# config (odoolinkConfig.cmake) and the pkg-config file ask for exactly the
# ones this build used.
#
# odoolink_dependency(<package> [<find_package args>...]
#                     [PKG_CONFIG <module>] [LINKED_PRIVATELY])
#   Calls find_package(<package> <args> REQUIRED) and appends
#   `find_dependency(<package> <args>)` to ODOOLINK_CONFIG_DEPENDENCIES.
#   PKG_CONFIG names the dependency's pkg-config module (none for Boost,
#   which ships no .pc file). LINKED_PRIVATELY marks a library linked PRIVATE:
#   the .pc file lists it in Requires.private when odoolink is shared. The
#   CMake config always finds it (a static odoolink still links it).
set(ODOOLINK_CONFIG_DEPENDENCIES "")
set(ODOOLINK_PC_REQUIRES "")
set(ODOOLINK_PC_REQUIRES_PRIVATE "")

macro(odoolink_dependency _odl_package)
  cmake_parse_arguments(_odl "LINKED_PRIVATELY" "PKG_CONFIG" "" ${ARGN})
  find_package(${_odl_package} ${_odl_UNPARSED_ARGUMENTS} REQUIRED)
  string(REPLACE ";" " " _odl_args "${_odl_package};${_odl_UNPARSED_ARGUMENTS}")
  string(STRIP "${_odl_args}" _odl_args)
  string(APPEND ODOOLINK_CONFIG_DEPENDENCIES "find_dependency(${_odl_args})\n")
  if(_odl_PKG_CONFIG)
    if(_odl_LINKED_PRIVATELY)
      list(APPEND ODOOLINK_PC_REQUIRES_PRIVATE ${_odl_PKG_CONFIG})
    else()
      list(APPEND ODOOLINK_PC_REQUIRES ${_odl_PKG_CONFIG})
    endif()
  endif()
endmacro()

odoolink_dependency(simdjson PKG_CONFIG simdjson)
# odoolink::testing serves fake_odoo::listen from a thread of its own.
odoolink_dependency(Threads)
odoolink_dependency(Boost 1.74)  # header-only: Boost.Outcome
if(ODOOLINK_WITH_XMLRPC)
  odoolink_dependency(expat PKG_CONFIG expat LINKED_PRIVATELY)
endif()
# libcrypto is always linked (contract fingerprints, keyed redaction); the
# curl transport adds libssl and exposes both publicly.
if(ODOOLINK_WITH_CURL)
  odoolink_dependency(CURL PKG_CONFIG libcurl)
  odoolink_dependency(OpenSSL PKG_CONFIG openssl)
else()
  odoolink_dependency(OpenSSL PKG_CONFIG libcrypto LINKED_PRIVATELY)
endif()
if(ODOOLINK_WITH_SQLITE)
  odoolink_dependency(SQLite3 PKG_CONFIG sqlite3 LINKED_PRIVATELY)
endif()
if(ODOOLINK_WITH_POSTGRES)
  odoolink_dependency(PostgreSQL PKG_CONFIG libpq LINKED_PRIVATELY)
endif()
