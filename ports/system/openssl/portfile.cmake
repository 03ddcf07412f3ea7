include("${CMAKE_CURRENT_LIST_DIR}/../system-package.cmake")
odoolink_system_package(HEADER openssl/ssl.h PACKAGE "libssl-dev (Debian) or openssl-devel")
