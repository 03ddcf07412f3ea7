# Runs the POS demo on the fake Odoo and checks its exit status and summary.
# -DDEMO=<program> -DSTORE=<sqlite path> -DCONTRACTS=<dir> [-DSERIES=<17|18|19>, the Odoo the fake plays]
set(ENV{ODOOLINK_URL} "")
if(NOT SERIES)
  set(SERIES 18)
endif()
execute_process(COMMAND "${DEMO}" --store "${STORE}" --contracts "${CONTRACTS}" --fake-series "${SERIES}"
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
message("${out}${err}")
if(NOT status EQUAL 0)
  message(FATAL_ERROR "the demo exited with ${status}")
endif()
foreach(expected
    "running against the built-in fake Odoo (as Odoo ${SERIES};"
    "replaying the whole day again added 0"
    "customer           3          3             3           0"
    "product            4          4             4           0"
    "sales_order        6          6             6           0"
    "lost responses injected: 1"
    "all 13 events delivered exactly once: no duplicates, nothing lost")
  string(FIND "${out}" "${expected}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "the demo's output lacks: ${expected}")
  endif()
endforeach()
