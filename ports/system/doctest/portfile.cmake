include("${CMAKE_CURRENT_LIST_DIR}/../system-package.cmake")
odoolink_system_package(HEADER doctest/doctest.h PACKAGE "doctest-dev (Debian) or doctest-devel")
