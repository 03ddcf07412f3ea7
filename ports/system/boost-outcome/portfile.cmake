include("${CMAKE_CURRENT_LIST_DIR}/../system-package.cmake")
odoolink_system_package(HEADER boost/outcome.hpp PACKAGE "libboost-dev (Debian) or boost-devel")
