#pragma once
// Maps (method, path pattern) to a handler. Patterns use {name} segments:
// "/api/v1/opportunities/{id}/skill-requirements/{requirement_id}". Literal segments compare with
// the decoded request segment; a parameter takes the decoded segment. A path that matches no
// pattern is 404; a path that matches with another method is 405 with an Allow header.
#include <string>
#include <vector>

#include "http/message.hpp"

namespace oms::http {

struct Route {
  Method method;
  std::string pattern;
  std::vector<std::string> segments;  // split pattern
  Handler handler;
  RouteOptions options;
};

struct RouteMatch {
  const Route* route = nullptr;  // null: no route for this method
  std::vector<std::pair<std::string, std::string>> path_params;
  std::vector<Method> allowed;  // methods that match the path
};

class Router {
 public:
  void add(Method method, std::string pattern, Handler handler, RouteOptions options = {});
  // `segments` are the decoded segments of the request path (Request::segments, or
  // path_segments() of a raw path): "%2F" inside a segment never splits it.
  RouteMatch match(Method method, const std::vector<std::string>& segments) const;
  const std::vector<Route>& routes() const noexcept { return routes_; }

 private:
  std::vector<Route> routes_;
  // Indices into routes_ by their number of segments: a path is compared only with the patterns
  // of its own length (a handful, not every route).
  std::vector<std::vector<std::size_t>> by_length_;
};

std::string_view method_name(Method m) noexcept;

}  // namespace oms::http
