include("${CMAKE_CURRENT_LIST_DIR}/../system-package.cmake")
odoolink_system_package(HEADER sqlite3.h PACKAGE "libsqlite3-dev (Debian) or sqlite-devel")
