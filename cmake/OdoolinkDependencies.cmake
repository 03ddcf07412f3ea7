# Finds odoolink's dependencies. Kept in one place so the installed package
# config (odoolinkConfig.cmake) asks for exactly the same ones.
find_package(simdjson REQUIRED)
find_package(Boost 1.74 REQUIRED)  # header-only: Boost.Outcome
if(ODOOLINK_WITH_XMLRPC)
  find_package(expat REQUIRED)
endif()
if(ODOOLINK_WITH_CURL)
  find_package(CURL REQUIRED)
  find_package(OpenSSL REQUIRED)
endif()
if(ODOOLINK_WITH_POSTGRES)
  find_package(PostgreSQL REQUIRED)
endif()
