#pragma once
// What every handler does with a request before and after calling a use case: build the use-case
// context, check path and query parameters, read Idempotency-Key and If-Match, and shape the
// response (JSON, ETag, Location). Problems are collected in a domain::Validator, never thrown
// one at a time.
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "app/context.hpp"
#include "app/opportunities.hpp"
#include "domain/error.hpp"
#include "http/json/reader.hpp"
#include "http/message.hpp"

namespace oms::http::handlers {

inline constexpr std::string_view k_api = "/api/v1";
inline constexpr int k_default_limit = 20;
inline constexpr int k_max_limit = 100;
inline constexpr std::size_t k_max_cursor_bytes = 1024;
inline constexpr std::size_t k_max_idempotency_key = 255;
inline constexpr std::size_t k_max_query_text = 200;
inline constexpr std::size_t k_max_user_id = 255;

app::Ctx make_ctx(const Request& req);

// A path parameter that must be a UUID; returned lower-cased. Adds "must be a UUID" otherwise.
std::string path_uuid(const Request& req, std::string_view name, domain::Validator& v);
// A path parameter that is a user id (token subject): 1..255 bytes, no control characters.
std::string path_user_id(const Request& req, std::string_view name, domain::Validator& v);

// The single value of a query parameter; a repeated parameter is an error.
std::optional<std::string_view> single_query(const Request& req, std::string_view name, domain::Validator& v);
// limit (1..100, default 20) and cursor (opaque, non-empty, printable ASCII).
app::PageRequest page_request(const Request& req, domain::Validator& v);
// "true" or "false" exactly; default when absent.
bool bool_query(const Request& req, std::string_view name, bool fallback, domain::Validator& v);
// Free text of 1..200 code points (after trimming); returned trimmed.
std::optional<std::string> text_query(const Request& req, std::string_view name, domain::Validator& v);
std::optional<std::string> uuid_query(const Request& req, std::string_view name, domain::Validator& v);
std::optional<domain::Timestamp> timestamp_query(const Request& req, std::string_view name, domain::Validator& v);
template <class E>
std::optional<E> enum_query(const Request& req, std::string_view name, domain::Validator& v);

// Idempotency-Key: 1..255 visible ASCII characters; the request hash covers method, path, body.
std::optional<app::IdempotencyKey> idempotency_key(const Request& req, domain::Validator& v);
// If-Match: absent or "*" is no precondition; "<version>" is that version; anything else throws
// PRECONDITION_FAILED.
app::ExpectedVersion expected_version(const Request& req);

// For routes whose JSON body is optional (registered without json_body): a non-empty body must
// still be declared as application/json, else UNSUPPORTED_MEDIA_TYPE.
void require_json_if_body(const Request& req);

Response json_ok(std::string body, int status = 200);

// Body readers shared by several opportunity stories.
// "currency": an ISO 4217 code (domain::check_currency).
std::optional<std::string> read_currency(json::ObjectReader& r);
// "reason": optional, 1..500 code points.
std::optional<std::string> read_reason(json::ObjectReader& r);
// submit and reactivate take no fields: an empty body or {} (a non-empty one must be JSON).
void read_empty_body(const Request& req, domain::Validator& v);
// submit and reactivate: the path id, an empty body and If-Match, then the use case.
using FieldlessTransition = awaitable<domain::Opportunity> (app::Opportunities::*)(const app::Ctx&, const std::string&,
                                                                                   app::ExpectedVersion);
awaitable<Response> fieldless_transition(app::Opportunities& use_cases, Request& req, FieldlessTransition use_case);

// status-history and changes: the path id and a page of the opportunity's records.
template <class Record>
using HistoryPage = awaitable<app::Page<Record>> (app::Opportunities::*)(const app::Ctx&, const std::string&,
                                                                         app::PageRequest);
awaitable<Response> history(app::Opportunities& use_cases, Request& req, HistoryPage<domain::StatusRecord> use_case);
awaitable<Response> history(app::Opportunities& use_cases, Request& req, HistoryPage<domain::ChangeRecord> use_case);

// The single-opportunity response: ETag "<version>".
Response with_etag(Response r, std::int64_t version);
// 200 (or `status`) with the opportunity's full representation and its ETag.
Response opportunity_response(const domain::Opportunity& o, int status = 200);

}  // namespace oms::http::handlers
