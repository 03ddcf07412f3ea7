# Finds odoolink's dependencies and records them, so the installed package
# config (odoolinkConfig.cmake) and the pkg-config file ask for exactly the
# ones this build used.
#
# odoolink_dependency(<package> [<find_package args>...]
#                     [PKG_CONFIG <module>] [LINKED_PRIVATELY])
#   Calls find_package(<package> <args> REQUIRED) and appends
#   `find_dependency(<package> <args>)` to ODOOLINK_CONFIG_DEPENDENCIES, or,
#   with LINKED_PRIVATELY (a library linked PRIVATE: no public header
#   includes it), to ODOOLINK_CONFIG_PRIVATE_DEPENDENCIES. The package config
#   finds the private ones only for a static odoolink, whose consumers link
#   them; a shared odoolink hides them. PKG_CONFIG names the dependency's
#   pkg-config module (none for Boost, which ships no .pc file): Requires, or
#   Requires.private for a private one of a shared odoolink.
set(ODOOLINK_CONFIG_DEPENDENCIES "")
set(ODOOLINK_CONFIG_PRIVATE_DEPENDENCIES "")
set(ODOOLINK_PC_REQUIRES "")
set(ODOOLINK_PC_REQUIRES_PRIVATE "")

macro(odoolink_dependency _odl_package)
  cmake_parse_arguments(_odl "LINKED_PRIVATELY" "PKG_CONFIG" "" ${ARGN})
  find_package(${_odl_package} ${_odl_UNPARSED_ARGUMENTS} REQUIRED)
  string(REPLACE ";" " " _odl_args "${_odl_package};${_odl_UNPARSED_ARGUMENTS}")
  string(STRIP "${_odl_args}" _odl_args)
  if(_odl_LINKED_PRIVATELY)
    string(APPEND ODOOLINK_CONFIG_PRIVATE_DEPENDENCIES "  find_dependency(${_odl_args})\n")
  else()
    string(APPEND ODOOLINK_CONFIG_DEPENDENCIES "find_dependency(${_odl_args})\n")
  endif()
  if(_odl_PKG_CONFIG)
    if(_odl_LINKED_PRIVATELY)
      list(APPEND ODOOLINK_PC_REQUIRES_PRIVATE ${_odl_PKG_CONFIG})
    else()
      list(APPEND ODOOLINK_PC_REQUIRES ${_odl_PKG_CONFIG})
    endif()
  endif()
endmacro()

# The public headers include simdjson and Boost.Outcome (header-only).
odoolink_dependency(simdjson PKG_CONFIG simdjson)
odoolink_dependency(Boost 1.74)
# odoolink::testing serves fake_odoo::listen from a thread of its own.
odoolink_dependency(Threads LINKED_PRIVATELY)
if(ODOOLINK_WITH_XMLRPC)
  odoolink_dependency(expat PKG_CONFIG expat LINKED_PRIVATELY)
endif()
# libcrypto is always linked (contract fingerprints, keyed redaction); the
# curl transport adds libcurl and libssl.
if(ODOOLINK_WITH_CURL)
  odoolink_dependency(CURL PKG_CONFIG libcurl LINKED_PRIVATELY)
  odoolink_dependency(OpenSSL PKG_CONFIG openssl LINKED_PRIVATELY)
else()
  odoolink_dependency(OpenSSL PKG_CONFIG libcrypto LINKED_PRIVATELY)
endif()
if(ODOOLINK_WITH_SQLITE)
  # 3.33: a settlement batch is one UPDATE ... FROM
  odoolink_dependency(SQLite3 3.33 PKG_CONFIG sqlite3 LINKED_PRIVATELY)
endif()
if(ODOOLINK_WITH_POSTGRES)
  odoolink_dependency(PostgreSQL PKG_CONFIG libpq LINKED_PRIVATELY)
endif()
