# Runs `odoolink contract drift CONTRACT FIELDS` and checks its exit status
# (EXPECT_EXIT) and that its output matches EXPECT_OUTPUT (a regex).
execute_process(COMMAND "${CLI}" contract drift "${CONTRACT}" "${FIELDS}"
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT status EQUAL EXPECT_EXIT)
  message(FATAL_ERROR "exit status ${status}, expected ${EXPECT_EXIT}")
endif()
if(NOT "${out}" MATCHES "${EXPECT_OUTPUT}")
  message(FATAL_ERROR "output does not match: ${EXPECT_OUTPUT}")
endif()
