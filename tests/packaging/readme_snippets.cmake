# README snippets (included by CMakeLists.txt): every ```cpp block of
# README.md is compiled and run, so the README cannot drift from the API.
#
# The line before a block names the program that runs it:
#   <!-- README test: tests/packaging/readme/<name>.cpp -->
# That program (readme/<name>.cpp) #includes the block as "snippet.inc" where
# its text belongs (a function body or namespace scope), runs it against a
# fake Odoo and checks the outcome. The blocks are extracted at configure
# time (README.md is a configure dependency).
#
#   packaging: README snippets compile   builds every snippet program (a test,
#                                        so a broken block fails a test, not the build)
#   packaging: README <name>             runs one
#   packaging: README block <n> has no test   fails: a cpp block without its comment or program

set(_readme "${PROJECT_SOURCE_DIR}/README.md")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_readme}")
file(READ "${_readme}" _rest)
set(_fence "```cpp\n")
set(_marker_re "<!-- README test: tests/packaging/readme/([a-z_]+)\\.cpp -->[ \t\r\n]*$")
set(_snippet_targets "")
set(_block 0)
while(TRUE)
  string(FIND "${_rest}" "${_fence}" _at)
  if(_at EQUAL -1)
    break()
  endif()
  math(EXPR _block "${_block} + 1")
  string(SUBSTRING "${_rest}" 0 ${_at} _before)
  string(LENGTH "${_fence}" _fence_length)
  math(EXPR _body_at "${_at} + ${_fence_length}")
  string(SUBSTRING "${_rest}" ${_body_at} -1 _rest)
  string(FIND "${_rest}" "\n```" _end)
  if(_end EQUAL -1)
    message(FATAL_ERROR "README.md: cpp block ${_block} is not closed")
  endif()
  math(EXPR _end "${_end} + 1")
  string(SUBSTRING "${_rest}" 0 ${_end} _code)
  string(SUBSTRING "${_rest}" ${_end} -1 _rest)

  # The comment must be the last thing before the fence.
  set(_name "")
  string(REGEX MATCH "${_marker_re}" _marker "${_before}")
  if(_marker)
    set(_name "${CMAKE_MATCH_1}")
  endif()
  if(NOT _marker OR NOT EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/readme/${_name}.cpp")
    string(SUBSTRING "${_code}" 0 60 _first)
    string(REGEX REPLACE "\n.*" "" _first "${_first}")
    message(WARNING "README.md: cpp block ${_block} ('${_first}') has no test program")
    add_test(NAME "packaging: README block ${_block} has no test"
      COMMAND ${CMAKE_COMMAND} -E echo "README.md cpp block ${_block} ('${_first}') needs a <!-- README test: tests/packaging/readme/<name>.cpp --> comment and that program")
    set_tests_properties("packaging: README block ${_block} has no test" PROPERTIES WILL_FAIL TRUE)
    continue()
  endif()

  set(_dir "${CMAKE_CURRENT_BINARY_DIR}/readme/${_name}")
  file(CONFIGURE OUTPUT "${_dir}/snippet.inc"
    CONTENT "// README.md, cpp block ${_block} (extracted at configure time)\n${_code}" @ONLY)
  set(_target odoolink_readme_${_name})
  add_executable(${_target} EXCLUDE_FROM_ALL "${CMAKE_CURRENT_SOURCE_DIR}/readme/${_name}.cpp")
  target_include_directories(${_target} PRIVATE "${_dir}" "${CMAKE_CURRENT_SOURCE_DIR}/readme")
  target_link_libraries(${_target} PRIVATE odoolink::odoolink odoolink::testing)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    # A README that drops a result<> would teach it.
    target_compile_options(${_target} PRIVATE -Wall -Werror=unused-result)
  endif()
  list(APPEND _snippet_targets ${_target})

  # Runs in a directory of its own, with the shipped contracts next to it
  # (the outbox snippet loads "contracts" and creates "pos.outbox" there).
  set(_run "${_dir}/run")
  file(MAKE_DIRECTORY "${_run}")
  file(COPY "${PROJECT_SOURCE_DIR}/contracts" DESTINATION "${_run}")
  add_test(NAME "packaging: README ${_name}" COMMAND ${_target} WORKING_DIRECTORY "${_run}")
  set_tests_properties("packaging: README ${_name}" PROPERTIES FIXTURES_REQUIRED odoolink_readme_built)
endwhile()

if(_block EQUAL 0)
  message(FATAL_ERROR "README.md: no cpp block found; the README test would pass on nothing")
endif()
if(_snippet_targets)
  add_custom_target(odoolink_readme_snippets DEPENDS ${_snippet_targets})
  add_test(NAME "packaging: README snippets compile"
    COMMAND ${CMAKE_COMMAND} --build "${PROJECT_BINARY_DIR}" --target odoolink_readme_snippets --config $<CONFIG>)
  set_tests_properties("packaging: README snippets compile" PROPERTIES FIXTURES_SETUP odoolink_readme_built)
endif()
