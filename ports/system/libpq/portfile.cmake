include("${CMAKE_CURRENT_LIST_DIR}/../system-package.cmake")
odoolink_system_package(HEADER libpq-fe.h PATH_SUFFIXES postgresql PACKAGE "libpq-dev (Debian) or libpq-devel")
