include("${CMAKE_CURRENT_LIST_DIR}/../system-package.cmake")
odoolink_system_package(HEADER curl/curl.h PACKAGE "libcurl4-openssl-dev (Debian) or libcurl-devel")
