#include "http/handlers/attachments.hpp"

#include <boost/json.hpp>

#include "domain/error.hpp"
#include "http/handlers/representations.hpp"
#include "http/handlers/support.hpp"
#include "http/json/reader.hpp"
#include "util/time.hpp"

namespace oms::http::handlers {
namespace {

namespace bj = boost::json;
using json::Need;

// A positive JSON integer, or a recorded problem.
std::optional<std::int64_t> read_size(json::ObjectReader& r, std::string_view key) {
  const bj::value* value = r.find(key);
  if (value == nullptr) {
    r.validator().add(r.path(key), "is required");
    return std::nullopt;
  }
  if (value->is_int64()) return value->get_int64();
  if (value->is_uint64()) return std::numeric_limits<std::int64_t>::max();
  r.validator().add(r.path(key), "must be an integer");
  return std::nullopt;
}

awaitable<Response> start_upload(app::Services& s, Request& req) {
  domain::Validator v;
  const std::string id = path_uuid(req, "id", v);
  app::UploadInput in;
  if (auto body = json::parse_object(req.body, v)) {
    json::ObjectReader r(*body, v);
    // Types only: the field rules are the domain's (domain::check_upload, in the use case).
    if (auto x = r.text("file_name", Need::required)) in.file_name = std::move(*x);
    if (auto x = r.text("content_type", Need::required)) in.content_type = std::move(*x);
    if (auto x = read_size(r, "size_bytes")) in.size_bytes = *x;
    if (auto x = r.text("sha256", Need::required)) in.sha256 = std::move(*x);
    r.finish();
  }
  v.throw_if_failed();
  const app::Ctx ctx = make_ctx(req);
  auto task = s.attachments.start_upload(ctx, id, std::move(in));
  const app::UploadIntent intent = co_await std::move(task);
  bj::object headers;
  for (const auto& [name, value] : intent.request.headers) headers[name] = value;
  const bj::object out{{"upload_id", intent.upload_id},
                       {"method", intent.request.method},
                       {"url", intent.request.url},
                       {"headers", std::move(headers)},
                       {"expires_at", util::format_timestamp(intent.request.expires_at)}};
  co_return json_ok(bj::serialize(out), 201);
}

awaitable<Response> complete_upload(app::Services& s, Request& req) {
  domain::Validator v;
  const std::string id = path_uuid(req, "id", v);
  std::string upload_id;
  if (auto body = json::parse_object(req.body, v)) {
    json::ObjectReader r(*body, v);
    if (auto x = r.uuid("upload_id", Need::required)) upload_id = std::move(*x);
    r.finish();
  }
  v.throw_if_failed();
  const app::Ctx ctx = make_ctx(req);
  auto task = s.attachments.complete_upload(ctx, id, upload_id);
  const domain::Attachment a = co_await std::move(task);
  Response res = json_ok(to_json(a), 201);
  std::string location(k_api);
  location += "/opportunities/";
  location += id;
  location += "/attachments/";
  location += a.id;
  res.header("Location", std::move(location));
  co_return res;
}

awaitable<Response> list_attachments(app::Services& s, Request& req) {
  domain::Validator v;
  const std::string id = path_uuid(req, "id", v);
  v.throw_if_failed();
  const app::Ctx ctx = make_ctx(req);
  auto task = s.attachments.list(ctx, id);
  const std::vector<domain::Attachment> items = co_await std::move(task);
  bj::array out;
  for (const auto& a : items) out.push_back(bj::value_from(a));
  const bj::object page{{"items", std::move(out)}};
  co_return json_ok(bj::serialize(page));
}

awaitable<Response> download_attachment(app::Services& s, Request& req) {
  domain::Validator v;
  const std::string id = path_uuid(req, "id", v);
  // Not a UUID: NOT_FOUND from the use case (nothing could be stored under it).
  const std::string& attachment_id = req.path_param("attachment_id");
  const bool redirect = bool_query(req, "redirect", true, v);
  v.throw_if_failed();
  const app::Ctx ctx = make_ctx(req);
  auto task = s.attachments.download(ctx, id, attachment_id);
  const objects::SignedRequest signed_get = co_await std::move(task);
  if (!redirect) {
    const bj::object out{{"url", signed_get.url}, {"expires_at", util::format_timestamp(signed_get.expires_at)}};
    co_return json_ok(bj::serialize(out));
  }
  Response res;
  res.status = 302;
  res.content_type.clear();
  res.header("Location", signed_get.url);
  res.header("Cache-Control", "no-store");
  co_return res;
}

awaitable<Response> remove_attachment(app::Services& s, Request& req) {
  domain::Validator v;
  const std::string id = path_uuid(req, "id", v);
  const std::string& attachment_id = req.path_param("attachment_id");
  v.throw_if_failed();
  require_json_if_body(req);
  const app::Ctx ctx = make_ctx(req);
  auto task = s.attachments.remove(ctx, id, attachment_id);
  co_await std::move(task);
  co_return Response::no_content();
}

objects::ServedRequest served_request(const Request& req, std::string method) {
  objects::ServedRequest out;
  out.method = std::move(method);
  out.key = req.path_param("a");
  out.key += '/';
  out.key += req.path_param("b");
  out.query = req.query;
  out.headers = req.headers;
  out.body = req.body;
  return out;
}

awaitable<Response> put_object(objects::SelfServedStore* store, const domain::Clock* clock, Request& req) {
  objects::ServedRequest request = served_request(req, "PUT");
  co_await store->accept_put(std::move(request), clock->now());
  Response res;
  res.content_type.clear();
  co_return res;
}

// RFC 6266/8187: filename*=UTF-8''<percent-encoded name>, so any name is safe in the header.
std::string content_disposition(std::string_view file_name) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out = "attachment; filename*=UTF-8''";
  for (char c : file_name) {
    const auto ch = static_cast<unsigned char>(c);
    const bool plain = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '.' ||
                       ch == '-' || ch == '_' || ch == '~';
    if (plain) {
      out += c;
    } else {
      out += '%';
      out += k_hex[ch >> 4];
      out += k_hex[ch & 15];
    }
  }
  return out;
}

awaitable<Response> get_object(objects::SelfServedStore* store, const domain::Clock* clock, Request& req) {
  objects::ServedRequest request = served_request(req, "GET");
  const objects::ServedObject object = co_await store->serve_get(std::move(request), clock->now());
  Response res;
  res.content_type = object.content_type.empty() ? "application/octet-stream" : object.content_type;
  res.body_file = object.file;
  res.body_file_size = object.size_bytes;
  res.header("Content-Disposition", content_disposition(object.file_name));
  res.header("Cache-Control", "private, no-store");  // X-Content-Type-Options: the pipeline's, on every response
  co_return res;
}

}  // namespace

void register_attachment_routes(Router& router, app::Services& services) {
  app::Services* s = &services;
  const RouteOptions read{.authenticated = true};
  const RouteOptions write{.authenticated = true, .json_body = true};
  router.add(
      Method::post, "/api/v1/opportunities/{id}/attachments/uploads", [s](Request& r) { return start_upload(*s, r); },
      write);
  router.add(
      Method::post, "/api/v1/opportunities/{id}/attachments", [s](Request& r) { return complete_upload(*s, r); },
      write);
  router.add(
      Method::get, "/api/v1/opportunities/{id}/attachments", [s](Request& r) { return list_attachments(*s, r); }, read);
  router.add(
      Method::get, "/api/v1/opportunities/{id}/attachments/{attachment_id}/download",
      [s](Request& r) { return download_attachment(*s, r); }, read);
  router.add(
      Method::del, "/api/v1/opportunities/{id}/attachments/{attachment_id}",
      [s](Request& r) { return remove_attachment(*s, r); }, read);
}

void register_object_routes(Router& router, std::vector<ServedStore> stores, const domain::Clock& clock) {
  const domain::Clock* c = &clock;
  for (const auto& served : stores) {
    objects::SelfServedStore* store = served.store;
    // The signature in the URL is the authorization; no bearer token.
    const RouteOptions put{.authenticated = false, .max_body_bytes = served.max_body_bytes};
    const RouteOptions get{.authenticated = false};
    const std::string pattern = "/objects/" + served.name + "/{a}/{b}";
    router.add(
        Method::put, pattern, [store, c](Request& r) { return put_object(store, c, r); }, put);
    router.add(
        Method::get, pattern, [store, c](Request& r) { return get_object(store, c, r); }, get);
  }
}

}  // namespace oms::http::handlers
