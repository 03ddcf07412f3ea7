include("${CMAKE_CURRENT_LIST_DIR}/../system-package.cmake")
odoolink_system_package(HEADER simdjson.h PACKAGE "libsimdjson-dev (Debian) or simdjson-devel")
