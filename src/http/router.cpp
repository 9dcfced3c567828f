#include "http/router.hpp"

#include <algorithm>

namespace oms::http {
namespace {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  if (path.empty() || path.front() != '/') return out;
  std::size_t start = 1;
  for (;;) {
    auto slash = path.find('/', start);
    out.emplace_back(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

bool is_param(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

// Number of literal segments when `segments` match the path, else -1. Literals win over
// parameters so that /things/search beats /things/{id}.
int score(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
          std::vector<std::pair<std::string, std::string>>* params) {
  if (pattern.size() != path.size()) return -1;
  int literals = 0;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (is_param(pattern[i])) {
      if (path[i].empty()) return -1;
    } else if (pattern[i] == path[i]) {
      ++literals;
    } else {
      return -1;
    }
  }
  if (params != nullptr) {
    params->clear();
    for (std::size_t i = 0; i < pattern.size(); ++i)
      if (is_param(pattern[i])) params->emplace_back(pattern[i].substr(1, pattern[i].size() - 2), path[i]);
  }
  return literals;
}

}  // namespace

void Router::add(Method method, std::string pattern, Handler handler, RouteOptions options) {
  Route r{method, pattern, split_path(pattern), std::move(handler), options};
  const std::size_t length = r.segments.size();
  if (by_length_.size() <= length) by_length_.resize(length + 1);
  by_length_[length].push_back(routes_.size());
  routes_.push_back(std::move(r));
}

RouteMatch Router::match(Method method, const std::vector<std::string>& segments) const {
  RouteMatch out;
  // "/" has no segments in the parsed target; its pattern is the one empty segment.
  static const std::vector<std::string> k_root{""};
  if (segments.empty()) return match(method, k_root);
  // HEAD is served by the GET route unless a HEAD route exists.
  const Route* best = nullptr;
  const Route* best_get = nullptr;
  int best_score = -1;
  int best_get_score = -1;
  if (segments.size() >= by_length_.size()) return out;
  for (const std::size_t index : by_length_[segments.size()]) {
    const Route& r = routes_[index];
    const int s = score(r.segments, segments, nullptr);
    if (s < 0) continue;
    if (std::find(out.allowed.begin(), out.allowed.end(), r.method) == out.allowed.end())
      out.allowed.push_back(r.method);
    if (r.method == method && s > best_score) {
      best = &r;
      best_score = s;
    }
    if (r.method == Method::get && s > best_get_score) {
      best_get = &r;
      best_get_score = s;
    }
  }
  if (best_get != nullptr && std::find(out.allowed.begin(), out.allowed.end(), Method::head) == out.allowed.end())
    out.allowed.push_back(Method::head);
  if (best == nullptr && method == Method::head) best = best_get;
  if (best != nullptr) {
    out.route = best;
    score(best->segments, segments, &out.path_params);
  }
  return out;
}

std::string_view method_name(Method m) noexcept {
  switch (m) {
    case Method::get:
      return "GET";
    case Method::head:
      return "HEAD";
    case Method::post:
      return "POST";
    case Method::put:
      return "PUT";
    case Method::patch:
      return "PATCH";
    case Method::del:
      return "DELETE";
    case Method::options:
      return "OPTIONS";
    case Method::other:
      return "OTHER";
  }
  return "OTHER";
}

}  // namespace oms::http
