#include "http/handlers/support.hpp"

#include <charconv>

#include "domain/validation.hpp"
#include "http/handlers/representations.hpp"
#include "http/json/reader.hpp"
#include "http/router.hpp"
#include "util/encoding.hpp"
#include "util/time.hpp"
#include "util/utf8.hpp"

namespace oms::http::handlers {
namespace {

bool is_visible_ascii(std::string_view s) {
  for (char c : s)
    if (c < 0x21 || c > 0x7E) return false;
  return true;
}

bool is_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

app::Ctx make_ctx(const Request& req) {
  app::Ctx ctx;
  ctx.actor = req.actor();
  ctx.request_id = req.request_id;
  ctx.client_gone = req.client_gone;
  return ctx;
}

std::string path_uuid(const Request& req, std::string_view name, domain::Validator& v) {
  const std::string& value = req.path_param(name);
  if (!util::is_uuid(value)) {
    v.add(std::string(name), "must be a UUID");
    return value;
  }
  return util::to_lower_ascii(value);
}

std::string path_user_id(const Request& req, std::string_view name, domain::Validator& v) {
  const std::string& value = req.path_param(name);
  bool ok = !value.empty() && value.size() <= k_max_user_id && util::is_valid_utf8(value);
  for (char c : value)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) ok = false;
  if (!ok) v.add(std::string(name), "must be a user id of 1 to 255 characters");
  return value;
}

std::optional<std::string_view> single_query(const Request& req, std::string_view name, domain::Validator& v) {
  const auto values = req.query_params(name);
  if (values.empty()) return std::nullopt;
  if (values.size() > 1) {
    v.add(std::string(name), "must not be repeated");
    return std::nullopt;
  }
  return values.front();
}

app::PageRequest page_request(const Request& req, domain::Validator& v) {
  app::PageRequest page;
  page.limit = k_default_limit;
  if (auto limit = single_query(req, "limit", v)) {
    int n = 0;
    const auto r = std::from_chars(limit->data(), limit->data() + limit->size(), n);
    if (!is_digits(*limit) || r.ec != std::errc{} || n < 1 || n > k_max_limit)
      v.add("limit", "must be an integer from 1 to " + std::to_string(k_max_limit));
    else
      page.limit = n;
  }
  if (auto cursor = single_query(req, "cursor", v)) {
    if (cursor->empty() || cursor->size() > k_max_cursor_bytes || !is_visible_ascii(*cursor))
      v.add("cursor", "is not a valid cursor");
    else
      page.cursor = std::string(*cursor);
  }
  return page;
}

bool bool_query(const Request& req, std::string_view name, bool fallback, domain::Validator& v) {
  const auto value = single_query(req, name, v);
  if (!value) return fallback;
  if (*value == "true") return true;
  if (*value == "false") return false;
  v.add(std::string(name), "must be true or false");
  return fallback;
}

std::optional<std::string> text_query(const Request& req, std::string_view name, domain::Validator& v) {
  const auto value = single_query(req, name, v);
  if (!value) return std::nullopt;
  const std::size_t before = v.errors().size();
  domain::check_text(v, name, *value, 1, k_max_query_text);
  if (v.errors().size() != before) return std::nullopt;
  return std::string(util::trim(*value));
}

std::optional<std::string> uuid_query(const Request& req, std::string_view name, domain::Validator& v) {
  const auto value = single_query(req, name, v);
  if (!value) return std::nullopt;
  if (!util::is_uuid(*value)) {
    v.add(std::string(name), "must be a UUID");
    return std::nullopt;
  }
  return util::to_lower_ascii(*value);
}

std::optional<domain::Timestamp> timestamp_query(const Request& req, std::string_view name, domain::Validator& v) {
  const auto value = single_query(req, name, v);
  if (!value) return std::nullopt;
  if (auto t = util::parse_timestamp(*value)) return t;
  v.add(std::string(name), "must be an RFC 3339 date-time, e.g. 2026-01-31T00:00:00Z");
  return std::nullopt;
}

template <class E>
std::optional<E> enum_query(const Request& req, std::string_view name, domain::Validator& v) {
  const auto value = single_query(req, name, v);
  if (!value) return std::nullopt;
  if (auto e = domain::parse_enum<E>(*value)) return e;
  v.add(std::string(name), "must be one of " + json::enum_choices<E>());
  return std::nullopt;
}

template std::optional<domain::Priority> enum_query<domain::Priority>(const Request&, std::string_view,
                                                                      domain::Validator&);
template std::optional<domain::SkillCategory> enum_query<domain::SkillCategory>(const Request&, std::string_view,
                                                                                domain::Validator&);

std::optional<app::IdempotencyKey> idempotency_key(const Request& req, domain::Validator& v) {
  const auto key = req.header("idempotency-key");
  if (!key) return std::nullopt;
  if (key->empty() || key->size() > k_max_idempotency_key || !is_visible_ascii(*key)) {
    v.add("Idempotency-Key", "must be 1 to 255 visible ASCII characters");
    return std::nullopt;
  }
  app::IdempotencyKey out;
  out.key = std::string(*key);
  std::string material;
  material.reserve(req.path.size() + req.body.size() + 16);
  material.append(method_name(req.method)).append(" ").append(req.path).append("\n").append(req.body);
  out.request_hash = util::sha256_hex(material);
  return out;
}

app::ExpectedVersion expected_version(const Request& req) {
  const auto header = req.header("if-match");
  if (!header) return std::nullopt;
  std::string_view value = *header;
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value == "*") return std::nullopt;
  if (value.size() >= 3 && value.front() == '"' && value.back() == '"') {
    const std::string_view digits = value.substr(1, value.size() - 2);
    std::int64_t version = 0;
    const auto r = std::from_chars(digits.data(), digits.data() + digits.size(), version);
    if (is_digits(digits) && r.ec == std::errc{} && r.ptr == digits.data() + digits.size()) return version;
  }
  throw domain::DomainError(domain::ErrorCode::precondition_failed,
                            R"(If-Match must be "*" or the quoted version from the ETag, e.g. "3".)");
}

void require_json_if_body(const Request& req) {
  if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) return;
  const auto type = req.header("content-type");
  const std::string media = type ? util::to_lower_ascii(type->substr(0, type->find(';'))) : std::string();
  const auto last = media.find_last_not_of(" \t");
  if (media.substr(0, last == std::string::npos ? 0 : last + 1) != "application/json")
    throw domain::DomainError(domain::ErrorCode::unsupported_media_type, "The request body must be application/json.");
}

Response json_ok(std::string body, int status) { return Response::json(status, std::move(body)); }

Response with_etag(Response r, std::int64_t version) {
  // Appended, not `"\"" + std::to_string(...)`: g++ 12 -O3 -Wrestrict false positive (GCC bug 105329).
  std::string etag(1, '"');
  etag += std::to_string(version);
  etag += '"';
  r.header("ETag", std::move(etag));
  return r;
}

Response opportunity_response(const domain::Opportunity& o, int status) {
  return with_etag(json_ok(to_json(o), status), o.version);
}

std::optional<std::string> read_currency(json::ObjectReader& r) {
  const boost::json::value* value = r.find("currency");
  if (!value) return std::nullopt;
  if (!value->is_string()) {
    r.validator().add("currency", "must be a string");
    return std::nullopt;
  }
  const std::string_view text(value->get_string().data(), value->get_string().size());
  if (!domain::is_currency_code(text)) {
    domain::check_currency(r.validator(), "currency", text);
    return std::nullopt;
  }
  return std::string(text);
}

std::optional<std::string> read_reason(json::ObjectReader& r) {
  return r.string("reason", json::Need::optional, 1, domain::k_reason_max);
}

void read_empty_body(const Request& req, domain::Validator& v) {
  require_json_if_body(req);
  if (auto body = json::parse_object(req.body, v, /*allow_empty=*/true)) {
    json::ObjectReader r(*body, v);
    r.finish();
  }
}

awaitable<Response> fieldless_transition(app::Opportunities& use_cases, Request& req, FieldlessTransition use_case) {
  domain::Validator v;
  const std::string id = path_uuid(req, "id", v);
  read_empty_body(req, v);
  v.throw_if_failed();
  const app::ExpectedVersion expected = expected_version(req);
  const app::Ctx ctx = make_ctx(req);
  auto task = (use_cases.*use_case)(ctx, id, expected);
  const domain::Opportunity o = co_await std::move(task);
  co_return opportunity_response(o);
}

namespace {
template <class Record>
awaitable<Response> history_page(app::Opportunities& use_cases, Request& req, HistoryPage<Record> use_case) {
  domain::Validator v;
  const std::string id = path_uuid(req, "id", v);
  const app::PageRequest page = page_request(req, v);
  v.throw_if_failed();
  const app::Ctx ctx = make_ctx(req);
  auto task = (use_cases.*use_case)(ctx, id, page);
  const app::Page<Record> records = co_await std::move(task);
  co_return json_ok(page_json(records));
}
}  // namespace

awaitable<Response> history(app::Opportunities& use_cases, Request& req, HistoryPage<domain::StatusRecord> use_case) {
  return history_page(use_cases, req, use_case);
}

awaitable<Response> history(app::Opportunities& use_cases, Request& req, HistoryPage<domain::ChangeRecord> use_case) {
  return history_page(use_cases, req, use_case);
}

}  // namespace oms::http::handlers
