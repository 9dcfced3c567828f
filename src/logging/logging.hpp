#pragma once
// The process logger (every command and layer above the domain may log through it): JSON-lines
// logs on standard output: one object a line, "type" access | application | error,
// each with request_id and trace_id when there is a request. Backed by a thread-safe spdlog
// logger that prints the message verbatim (the message is the JSON object), asynchronously.
#include <boost/json/object.hpp>
#include <string>
#include <string_view>

namespace oms::logging {

// Level names: trace, debug, info, warn, error, critical, off. Returns false for an unknown name.
bool init_logging(std::string_view level, std::string environment);

struct AccessRecord {
  std::string_view request_id;
  std::string_view trace_id;
  std::string_view method;
  std::string_view path;
  std::string_view route;
  int status = 0;
  double duration_ms = 0;
  std::size_t response_bytes = 0;
  std::string_view client_ip;
  std::string_view user_id;
};

void log_access(const AccessRecord& record);
void log_info(std::string_view message, std::string_view request_id = {}, std::string_view trace_id = {});
void log_warn(std::string_view message, std::string_view request_id = {}, std::string_view trace_id = {});
void log_error(std::string_view message, std::string_view request_id = {}, std::string_view trace_id = {});
// One info line of `type` carrying `fields` at the top level (ts, level, type and environment are
// added unless present): the event log sink and CloudWatch Embedded Metric Format lines.
void log_fields(std::string_view type, boost::json::object fields);
// Writes out every queued line; call once before the process exits.
void shutdown_logging();

}  // namespace oms::logging
