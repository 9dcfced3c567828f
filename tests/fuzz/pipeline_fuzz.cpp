// Whole requests through Pipeline::handle on the real routes, use cases and a real SQLite store
// (see fuzz_service.hpp for the input format and the fake tokens). Whatever a client sends is
// answered, never with 500 (an unexpected exception), with a JSON body whenever the response
// says it is JSON, and with the headers every response carries.
#include <boost/json.hpp>
#include <optional>

#include "fuzz/fuzz_service.hpp"
#include "util/encoding.hpp"

using namespace oms;

namespace {

bool has_header(const http::Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return true;
  return false;
}

// A fresh store every so many inputs: state carried between inputs is what finds the
// interesting paths (an opportunity created by one input, modified by the next), but a store that
// only grows makes every list and search slower until the run crawls (one run fell from 2,500
// exec/s to under 200 by 130,000 inputs), and a finding needs fewer preceding inputs to reproduce.
constexpr unsigned k_inputs_per_store = 10000;

fuzz::FuzzService& service_for_next_input() {
  static std::optional<fuzz::FuzzService> service;
  static unsigned inputs = 0;
  if (!service || inputs++ == k_inputs_per_store) {
    service.reset();
    service.emplace();
    inputs = 1;
  }
  return *service;
}

}  // namespace

// OpenSSL 3.0 never frees the per-thread random generator of the thread that first used it, and
// LeakSanitizer reports it once that thread (a service's, above) has ended: the main thread,
// which lives to the end, goes first.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)util::random_bytes(1);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  fuzz::FuzzService& service = service_for_next_input();
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
