include("${CMAKE_CURRENT_LIST_DIR}/../system-package.cmake")
odoolink_system_package(HEADER expat.h PACKAGE "libexpat1-dev (Debian) or expat-devel")
