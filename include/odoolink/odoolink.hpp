#pragma once
/// @file
/// Umbrella header: everything a host application needs from odoolink.

#include "odoolink/config.hpp"
#include "odoolink/error.hpp"
#include "odoolink/http.hpp"
#include "odoolink/secret_scrubber.hpp"
#include "odoolink/json/parse.hpp"
#include "odoolink/json/value.hpp"
#include "odoolink/json/writer.hpp"
#include "odoolink/protocol/call.hpp"
#include "odoolink/protocol/codec.hpp"
#include "odoolink/protocol/json2.hpp"
#include "odoolink/protocol/jsonrpc.hpp"
#include "odoolink/protocol/web.hpp"
#include "odoolink/version.hpp"
#include "odoolink/clock.hpp"
#include "odoolink/client/api_keys.hpp"
#include "odoolink/client/attachments.hpp"
#include "odoolink/client/client.hpp"
#include "odoolink/client/context.hpp"
#include "odoolink/client/options.hpp"
#include "odoolink/client/reports.hpp"
#include "odoolink/client/server_version.hpp"
#include "odoolink/observe/log_line.hpp"
#include "odoolink/observe/observer.hpp"
#include "odoolink/observe/trace_context.hpp"
#include "odoolink/transport/rate_limit.hpp"
#include "odoolink/transport/retry.hpp"
#include "odoolink/transport/sync_transport.hpp"
#include "odoolink/transport/tls_options.hpp"
#include "odoolink/transport/transport.hpp"
#if defined(ODOOLINK_HAS_CURL)
#include "odoolink/transport/curl_transport.hpp"
#endif
#if defined(ODOOLINK_HAS_XMLRPC)
#include "odoolink/protocol/xmlrpc.hpp"
#endif
