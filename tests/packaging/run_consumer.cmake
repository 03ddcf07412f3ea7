# Driver for the packaging tests (cmake -P). MODE selects the test:
#   install           cmake --install BINARY_DIR into PREFIX (fresh), check the layout
#   find_package      configure/build/run consumer/ with CMAKE_PREFIX_PATH=PREFIX
#   pkg-config        compile consumer/main.cpp with pkg-config flags from PREFIX, run it
#   add_subdirectory  configure/build/run subdirectory/ on SOURCE_DIR
# Any failure is fatal, so the test fails.
cmake_minimum_required(VERSION 3.20)

set(_here "${CMAKE_CURRENT_LIST_DIR}")
set(_consumer_src "${_here}/consumer")

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0)
    list(JOIN ARGN " " _cmd)
    message(FATAL_ERROR "command failed (${_rc}): ${_cmd}")
  endif()
endfunction()

# Runs the consumer program and checks its output.
function(run_consumer exe)
  set(_env "")
  if(SHARED)
    set(_env "LD_LIBRARY_PATH=${PREFIX}/${LIBDIR}")
  endif()
  execute_process(COMMAND ${CMAKE_COMMAND} -E env ${_env} ${RUN_ON_TARGET} "${exe}"
    RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
  message("${_out}${_err}")
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "consumer failed (${_rc})")
  endif()
  if(NOT _out MATCHES "^odoolink ${VERSION}: ")
    message(FATAL_ERROR "consumer printed unexpected output: ${_out}")
  endif()
endfunction()

# A consumer of a shared odoolink must load it by its SONAME.
function(check_linkage exe)
  if(NOT SHARED)
    return()
  endif()
  if(OBJDUMP)
    set(_objdump "${OBJDUMP}")
  else()
    find_program(_objdump objdump)
  endif()
  if(NOT _objdump)
    message(WARNING "objdump not found: the consumer's NEEDED entries are not checked")
    return()
  endif()
  execute_process(COMMAND "${_objdump}" -p "${exe}" OUTPUT_VARIABLE _headers RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0 OR NOT _headers MATCHES "NEEDED +${SONAME}\n")
    message(FATAL_ERROR "${exe} does not load ${SONAME} (objdump -p):\n${_headers}")
  endif()
  message("${exe} loads ${SONAME}")
endfunction()

# The consumer executable of a build tree (single- or multi-config).
function(consumer_exe build out)
  foreach(_candidate "${build}/consumer" "${build}/${CONFIG}/consumer"
                     "${build}/consumer.exe" "${build}/${CONFIG}/consumer.exe")
    if(NOT IS_DIRECTORY "${_candidate}" AND EXISTS "${_candidate}")
      set(${out} "${_candidate}" PARENT_SCOPE)
      return()
    endif()
  endforeach()
  message(FATAL_ERROR "no consumer executable in ${build}")
endfunction()

# Configure arguments shared by the CMake-based consumers.
set(_configure_args -G "${GENERATOR}" "-DCMAKE_CXX_COMPILER=${CXX}"
  "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${LINK_FLAGS}"
  -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF)
if(MAKE_PROGRAM)
  list(APPEND _configure_args "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}")
endif()
# Cross builds: the same toolchain; the dependencies' prefixes through the
# environment (a list does not survive as one argument here).
if(TOOLCHAIN)
  list(APPEND _configure_args "-DCMAKE_TOOLCHAIN_FILE=${TOOLCHAIN}")
endif()
if(PREFIX_PATH)
  string(REPLACE "|" ":" _prefix_path "${PREFIX_PATH}")
  set(ENV{CMAKE_PREFIX_PATH} "${_prefix_path}")
endif()
set(_build_args --parallel 2)
if(DEFINED ENV{CMAKE_BUILD_PARALLEL_LEVEL})
  set(_build_args "")
endif()
if(CONFIG)
  list(APPEND _configure_args "-DCMAKE_BUILD_TYPE=${CONFIG}")
  list(APPEND _build_args --config "${CONFIG}")
endif()

if(MODE STREQUAL "install")
  file(REMOVE_RECURSE "${PREFIX}")
  set(_install_args --install "${BINARY_DIR}" --prefix "${PREFIX}")
  if(CONFIG)
    list(APPEND _install_args --config "${CONFIG}")
  endif()
  run(${CMAKE_COMMAND} ${_install_args})

  # Every public header, the generated version header, the library, the
  # CMake package and the pkg-config file.
  file(GLOB_RECURSE _headers RELATIVE "${SOURCE_DIR}/include" "${SOURCE_DIR}/include/odoolink/*.hpp")
  list(LENGTH _headers _n_headers)
  if(_n_headers EQUAL 0)
    message(FATAL_ERROR "no headers found under ${SOURCE_DIR}/include")
  endif()
  set(_expected odoolink/version.hpp)
  foreach(_h IN LISTS _headers)
    list(APPEND _expected "${_h}")
  endforeach()
  list(TRANSFORM _expected PREPEND "${INCLUDEDIR}/")
  list(APPEND _expected
    "${LIBDIR}/${LIBRARY_FILE}"
    "${LIBDIR}/cmake/odoolink/odoolinkConfig.cmake"
    "${LIBDIR}/cmake/odoolink/odoolinkConfigVersion.cmake"
    "${LIBDIR}/cmake/odoolink/odoolinkTargets.cmake"
    "${LIBDIR}/pkgconfig/odoolink.pc")
  set(_missing "")
  foreach(_f IN LISTS _expected)
    if(NOT EXISTS "${PREFIX}/${_f}")
      list(APPEND _missing "${_f}")
    endif()
  endforeach()
  file(GLOB _per_config "${PREFIX}/${LIBDIR}/cmake/odoolink/odoolinkTargets-*.cmake")
  if(NOT _per_config)
    list(APPEND _missing "${LIBDIR}/cmake/odoolink/odoolinkTargets-<config>.cmake")
  endif()
  if(_missing)
    list(JOIN _missing "\n  " _missing)
    message(FATAL_ERROR "missing from the install tree:\n  ${_missing}")
  endif()

  # The installed package must be relocatable: no build or source paths.
  file(GLOB _package_files "${PREFIX}/${LIBDIR}/cmake/odoolink/*.cmake" "${PREFIX}/${LIBDIR}/pkgconfig/odoolink.pc")
  foreach(_f IN LISTS _package_files)
    file(READ "${_f}" _text)
    foreach(_dir IN ITEMS "${SOURCE_DIR}" "${BINARY_DIR}" "${PREFIX}")
      string(FIND "${_text}" "${_dir}" _pos)
      if(NOT _pos EQUAL -1)
        message(FATAL_ERROR "${_f} contains the path ${_dir}")
      endif()
    endforeach()
  endforeach()

  file(GLOB_RECURSE _installed RELATIVE "${PREFIX}" "${PREFIX}/*")
  list(LENGTH _installed _n)
  message("installed ${_n} files into ${PREFIX}")

elseif(MODE STREQUAL "find_package")
  set(_build "${WORK_DIR}/find_package")
  file(REMOVE_RECURSE "${_build}")
  run(${CMAKE_COMMAND} -S "${_consumer_src}" -B "${_build}" ${_configure_args}
    "-DCMAKE_PREFIX_PATH=${PREFIX}")
  # It must have found the installed package, not a build tree or a system one.
  file(STRINGS "${_build}/CMakeCache.txt" _dir REGEX "^odoolink_DIR:")
  string(REGEX REPLACE "^odoolink_DIR:[A-Z]+=" "" _dir "${_dir}")
  file(REAL_PATH "${_dir}" _dir)
  file(REAL_PATH "${PREFIX}/${LIBDIR}/cmake/odoolink" _want)
  if(NOT _dir STREQUAL _want)
    message(FATAL_ERROR "found odoolink in ${_dir}, expected ${_want}")
  endif()
  run(${CMAKE_COMMAND} --build "${_build}" ${_build_args})
  consumer_exe("${_build}" _exe)
  check_linkage("${_exe}")
  run_consumer("${_exe}")
  # The testing component's program sits next to it.
  get_filename_component(_bin "${_exe}" DIRECTORY)
  set(_env "")
  if(SHARED)
    set(_env "LD_LIBRARY_PATH=${PREFIX}/${LIBDIR}")
  endif()
  run(${CMAKE_COMMAND} -E env ${_env} ${RUN_ON_TARGET} "${_bin}/fake_server")

elseif(MODE STREQUAL "pkg-config")
  set(_build "${WORK_DIR}/pkg-config")
  file(REMOVE_RECURSE "${_build}")
  file(MAKE_DIRECTORY "${_build}")
  set(ENV{PKG_CONFIG_PATH} "${PREFIX}/${LIBDIR}/pkgconfig")
  execute_process(COMMAND "${PKG_CONFIG}" --variable=pcfiledir odoolink
    RESULT_VARIABLE _rc OUTPUT_VARIABLE _pcdir OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT _rc EQUAL 0 OR NOT _pcdir STREQUAL "${PREFIX}/${LIBDIR}/pkgconfig")
    message(FATAL_ERROR "pkg-config did not find the installed odoolink.pc (got '${_pcdir}')")
  endif()
  execute_process(COMMAND "${PKG_CONFIG}" --modversion odoolink
    RESULT_VARIABLE _rc OUTPUT_VARIABLE _version OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT _rc EQUAL 0 OR NOT _version STREQUAL VERSION)
    message(FATAL_ERROR "pkg-config --modversion odoolink: '${_version}', expected ${VERSION}")
  endif()
  execute_process(COMMAND "${PKG_CONFIG}" --cflags --libs odoolink
    RESULT_VARIABLE _rc OUTPUT_VARIABLE _flags ERROR_VARIABLE _err OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "pkg-config --cflags --libs odoolink failed: ${_err}")
  endif()
  message("pkg-config --cflags --libs odoolink: ${_flags}")
  separate_arguments(_flags UNIX_COMMAND "${_flags}")
  separate_arguments(_cxx_flags UNIX_COMMAND "${CXX_FLAGS} ${LINK_FLAGS}")
  run("${CXX}" -std=c++20 ${_cxx_flags} "${_consumer_src}/main.cpp" ${_flags}
    -o "${_build}/consumer")
  check_linkage("${_build}/consumer")
  run_consumer("${_build}/consumer")

elseif(MODE STREQUAL "add_subdirectory")
  # The build directory is kept between runs so the library is rebuilt
  # incrementally; the configuration is always fresh.
  set(_build "${WORK_DIR}/add_subdirectory")
  file(REMOVE "${_build}/CMakeCache.txt")
  run(${CMAKE_COMMAND} -S "${_here}/subdirectory" -B "${_build}" ${_configure_args}
    "-DODOOLINK_SOURCE_DIR=${SOURCE_DIR}"
    "-DODOOLINK_WITH_CURL=${WITH_CURL}" "-DODOOLINK_WITH_XMLRPC=${WITH_XMLRPC}"
    "-DODOOLINK_WITH_SQLITE=${WITH_SQLITE}" "-DODOOLINK_WITH_POSTGRES=${WITH_POSTGRES}"
    # No optimisation or debug info: this test is about the project
    # structure, and the library compiles fastest this way.
    -DCMAKE_BUILD_TYPE=)
  run(${CMAKE_COMMAND} --build "${_build}" --target consumer ${_build_args})
  consumer_exe("${_build}" _exe)
  run_consumer("${_exe}")

else()
  message(FATAL_ERROR "unknown MODE '${MODE}'")
endif()
