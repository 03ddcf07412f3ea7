#pragma once
// A planted header for the self-test of check_light_headers.sh: it includes
// simdjson.h, which the check must report.
#include <simdjson.h>
