#pragma once
// What a route handler sees and returns. Deliberately free of Beast/Asio types so handler files
// compile quickly; only src/http/server.cpp includes Beast.
#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/entities.hpp"
#include "util/file_handle.hpp"

namespace oms::http {

template <class T>
using awaitable = boost::asio::awaitable<T>;

enum class Method { get, head, post, put, patch, del, options, other };

struct Request {
  Method method = Method::get;
  std::string target;                                        // raw request target, e.g. /api/v1/opportunities?limit=5
  std::string path;                                          // percent-decoded path without the query
  std::vector<std::string> segments;                         // path split on raw '/', then each decoded
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::vector<std::pair<std::string, std::string>> query;    // decoded, in order, repeatable
  std::vector<std::pair<std::string, std::string>> path_params;
  std::string body;
  std::string request_id;                      // X-Request-Id or generated
  std::optional<domain::Principal> principal;  // set by authentication for /api/v1 routes
  // Set by the server: true once the client has closed the connection (checked before a write
  // begins, so work nobody waits for is not started). Empty: never gone.
  std::function<bool()> client_gone;

  std::optional<std::string_view> header(std::string_view lower_name) const;
  std::optional<std::string_view> query_param(std::string_view name) const;  // first occurrence
  std::vector<std::string_view> query_params(std::string_view name) const;   // all occurrences
  const std::string& path_param(std::string_view name) const;                // throws if absent
  const domain::Principal& actor() const;                                    // throws 401 if none
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  // Instead of `body`: the bytes of an open file, streamed by the server in small reads (large
  // downloads in constant memory); body_file_size is its length.
  std::shared_ptr<util::FileHandle> body_file;
  std::uint64_t body_file_size = 0;
  std::vector<std::pair<std::string, std::string>> headers;

  std::uint64_t body_size() const noexcept { return body_file ? body_file_size : body.size(); }
  Response& header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  static Response json(int status, std::string body) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    return r;
  }
  static Response no_content() {
    Response r;
    r.status = 204;
    r.content_type.clear();
    return r;
  }
};

using Handler = std::function<awaitable<Response>(Request&)>;

struct RouteOptions {
  bool authenticated = true;       // requires a valid bearer token (all /api/v1 but openapi.json)
  std::size_t max_body_bytes = 0;  // 0: the server's default limit
  bool json_body = false;          // POST/PUT/PATCH with a JSON body: 415 unless application/json
  // The route-level role gate (domain.md, "Actors"), declared once here: the pipeline answers
  // FORBIDDEN before the handler runs when the caller's role is not listed. Empty: any role.
  // Ownership, visibility and state rules stay in the use cases.
  std::vector<domain::Role> roles;
};

}  // namespace oms::http
