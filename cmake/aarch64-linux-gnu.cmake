# Cross build for 64-bit ARM Linux with Debian's cross compiler
# (g++-aarch64-linux-gnu) against the arm64 multiarch -dev packages
# (/usr/lib/aarch64-linux-gnu), tests run under qemu-user.
#
#   cmake -S . -B build/aarch64 -G Ninja \
#     -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake
#
# scripts/aarch64-check.sh installs what this needs, builds and runs ctest.
# Packages that cannot be installed next to their amd64 twin (no
# Multi-Arch: same) may be unpacked into a prefix passed in
# CMAKE_PREFIX_PATH; the script does that.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

# ctest (and doctest's test discovery) run the target's programs through
# qemu. With the arm64 C library installed (libc6:arm64, which the arm64
# -dev packages bring) qemu finds its loader at /lib/ld-linux-aarch64.so.1.
# Only without it does -L point qemu at the cross toolchain's runtime: under
# qemu-user 7.2 that loader hangs any program that starts a thread.
find_program(ODOOLINK_QEMU_AARCH64 NAMES qemu-aarch64 qemu-aarch64-static REQUIRED)
if(EXISTS /lib/ld-linux-aarch64.so.1)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${ODOOLINK_QEMU_AARCH64}")
else()
  set(CMAKE_CROSSCOMPILING_EMULATOR "${ODOOLINK_QEMU_AARCH64};-L;/usr/aarch64-linux-gnu")
endif()

# Libraries and headers of the target only: the host's amd64 ones sit in
# /usr/lib/x86_64-linux-gnu, which CMAKE_LIBRARY_ARCHITECTURE already keeps
# out of find_library; pkg-config must not hand them back either.
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
