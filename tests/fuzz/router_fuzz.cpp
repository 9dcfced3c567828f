// Routing of request targets on the real route table (every /api/v1 route and the built-in
// ones). Input: "<METHOD> <target>". Checks: parse_target never throws; a match is a route of
// the method (or GET serving HEAD), listed in Allow, with one non-empty value per {parameter},
// and the pattern's literal segments are the path's.
#include <algorithm>
#include <vector>

#include "fuzz/fuzz_service.hpp"
#include "http/target.hpp"

using namespace oms;

namespace {

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path.front() != '/') return out;
  path.remove_prefix(1);
  for (;;) {
    const auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

bool is_param(std::string_view s) { return s.size() > 2 && s.front() == '{' && s.back() == '}'; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fuzz::FuzzService service;
  const std::string_view text = fuzz::as_text(data, size);
  if (text.find('\n') != std::string_view::npos) return 0;  // one request line only
  http::Request request = fuzz::request_from(text);
  if (!http::parse_target(request.target, request)) return 0;
  const http::RouteMatch match = service.router().match(request.method, request.segments);
  if (match.route == nullptr) return 0;
  const http::Route& route = *match.route;
  const bool head_as_get = request.method == http::Method::head && route.method == http::Method::get;
  fuzz::check(route.method == request.method || head_as_get, "matched a route of another method", text);
  fuzz::check(std::find(match.allowed.begin(), match.allowed.end(), request.method) != match.allowed.end(),
              "the matched method is not in Allow", text);
  const auto pattern = segments(route.pattern);
  // The router sees the decoded segments of the raw path ('%2F' stays inside its segment).
  const auto& path = request.segments;
  fuzz::check(pattern.size() == path.size(), "matched a path of another length", text);
  std::size_t params = 0;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (!is_param(pattern[i])) {
      fuzz::check(pattern[i] == path[i], "a literal segment differs", text);
      continue;
    }
    fuzz::check(params < match.path_params.size(), "a parameter is missing", text);
    const auto& [name, value] = match.path_params[params++];
    fuzz::check(name == pattern[i].substr(1, pattern[i].size() - 2), "a parameter has another name", text);
    fuzz::check(!value.empty(), "a parameter is empty", text);
  }
  fuzz::check(params == match.path_params.size(), "more parameters than the pattern has", text);
  return 0;
}
