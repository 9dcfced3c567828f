// Whole requests through Pipeline::handle on the real routes, use cases and a real SQLite store
// (see fuzz_service.hpp for the input format and the fake tokens). Whatever a client sends is
// answered, never with 500 (an unexpected exception), with a JSON body whenever the response
// says it is JSON, and with the headers every response carries.
#include <boost/json.hpp>

#include "fuzz/fuzz_service.hpp"

using namespace oms;

namespace {

bool has_header(const http::Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return true;
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fuzz::FuzzService service;
  const std::string_view text = fuzz::as_text(data, size);
  http::Request request = fuzz::request_from(text);
  const http::Response response = service.handle(request);
  const std::string detail = std::to_string(response.status) + " " + response.body;
  fuzz::check(response.status >= 200 && response.status <= 599, "an impossible status", detail);
  fuzz::check(response.status != 500, "an unexpected exception reached the client", detail);
  fuzz::check(has_header(response, "X-Request-Id"), "no X-Request-Id", detail);
  if (response.content_type.find("json") != std::string::npos && !response.body.empty()) {
    boost::system::error_code ec;
    (void)boost::json::parse(response.body, ec);
    fuzz::check(!ec, "a JSON response that is not JSON", detail);
  }
  return 0;
}
