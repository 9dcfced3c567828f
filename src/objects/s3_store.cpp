#include "objects/s3_store.hpp"

#include <algorithm>
#include <boost/json/object.hpp>
#include <boost/url/parse.hpp>
#include <stdexcept>

#include "objects/checksum.hpp"
#include "objects/content_disposition.hpp"
#include "objects/store_errors.hpp"
#include "tracing/context.hpp"
#include "util/encoding.hpp"
#include "util/http_client.hpp"

namespace oms::objects {
namespace {

std::string two(unsigned v) {
  std::string out;
  out += static_cast<char>('0' + v / 10);
  out += static_cast<char>('0' + v % 10);
  return out;
}

std::optional<std::string> hex_to_bytes(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    auto nibble = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    const int hi = nibble(hex[i]);
    const int lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

std::string scheme_host_of(bool tls, const std::string& host, const std::string& port) {
  std::string out = tls ? "https://" : "http://";
  out += host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != (tls ? "443" : "80")) {
    out += ':';
    out += port;
  }
  return out;
}

sigv4::PresignInput presign_input(const S3Location& location, std::string method, std::string_view key,
                                  std::chrono::seconds ttl, domain::Timestamp now) {
  sigv4::PresignInput in;
  in.method = std::move(method);
  in.scheme_host = location.scheme_host;
  in.host = location.host;
  in.decoded_path = s3_object_path(location, key);
  in.amz_date = amz_date(now);
  in.region = location.region;
  in.expires_seconds = static_cast<int>(ttl.count());
  return in;
}

}  // namespace

std::string amz_date(domain::Timestamp t) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(t);
  const auto day = std::chrono::floor<std::chrono::days>(seconds);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::hh_mm_ss hms(seconds - day);
  std::string out = std::to_string(static_cast<int>(ymd.year()));
  out += two(static_cast<unsigned>(ymd.month()));
  out += two(static_cast<unsigned>(ymd.day()));
  out += 'T';
  out += two(static_cast<unsigned>(hms.hours().count()));
  out += two(static_cast<unsigned>(hms.minutes().count()));
  out += two(static_cast<unsigned>(hms.seconds().count()));
  out += 'Z';
  return out;
}

S3Location parse_s3_url(std::string_view text, const EnvLookup& env) {
  auto parsed = boost::urls::parse_absolute_uri(text);
  if (!parsed || parsed->scheme() != "s3" || !parsed->has_authority() || parsed->host().empty())
    throw std::invalid_argument("expected s3://BUCKET[/PREFIX][?region=...&endpoint=...]");
  const auto& u = *parsed;
  S3Location out;
  out.bucket = u.host();
  std::string prefix = u.path();
  while (!prefix.empty() && prefix.front() == '/') prefix.erase(0, 1);
  if (!prefix.empty() && prefix.back() != '/') prefix += '/';
  out.prefix = prefix;
  std::string endpoint;
  for (const auto& param : u.params()) {
    if (param.key == "region") {
      out.region = param.value;
    } else if (param.key == "endpoint") {
      endpoint = param.value;
    } else {
      throw std::invalid_argument("unknown s3:// parameter " + std::string(param.key) + " (region, endpoint)");
    }
  }
  if (out.region.empty()) out.region = env("AWS_REGION").value_or(env("AWS_DEFAULT_REGION").value_or("us-east-1"));
  if (endpoint.empty()) {
    out.host = out.bucket + ".s3." + out.region + ".amazonaws.com";
    out.scheme_host = "https://" + out.host;
    return out;
  }
  const auto e = util::parse_http_url(endpoint);
  if (!e || e->target != "/") throw std::invalid_argument("endpoint must be http(s)://HOST[:PORT]: " + endpoint);
  out.scheme_host = scheme_host_of(e->tls, e->host, e->port);
  out.host = out.scheme_host.substr(out.scheme_host.find("//") + 2);
  out.base_path = "/" + out.bucket;
  return out;
}

std::string s3_object_path(const S3Location& location, std::string_view key) {
  std::string out = location.base_path;
  out += '/';
  out += location.prefix;
  out += key;
  return out;
}

SignedRequest s3_presign_put(const S3Location& location, const sigv4::Credentials& credentials, const PutSpec& spec,
                             domain::Timestamp now) {
  sigv4::PresignInput in = presign_input(location, "PUT", spec.key, spec.ttl, now);
  const auto digest = hex_to_bytes(spec.sha256_hex);
  SignedRequest out;
  out.method = "PUT";
  out.headers = {
      {"Content-Length", std::to_string(spec.size_bytes)},
      {"Content-Type", spec.content_type},
      // S3 hashes the body it receives and refuses it when this differs (BadDigest).
      {"x-amz-checksum-sha256", util::base64_encode(digest.value_or(""))},
  };
  in.headers = out.headers;
  out.url = sigv4::presign_s3_url(in, credentials);
  out.expires_at = now + spec.ttl;
  return out;
}

SignedRequest s3_presign_get(const S3Location& location, const sigv4::Credentials& credentials, const GetSpec& spec,
                             domain::Timestamp now) {
  sigv4::PresignInput in = presign_input(location, "GET", spec.key, spec.ttl, now);
  in.query = {
      {"response-content-disposition", attachment_disposition(spec.file_name)},
      {"response-content-type", spec.content_type},
  };
  SignedRequest out;
  out.method = "GET";
  out.url = sigv4::presign_s3_url(in, credentials);
  out.expires_at = now + spec.ttl;
  return out;
}

awaitable<SignedRequest> S3Store::presign_put(PutSpec spec, domain::Timestamp now) {
  const sigv4::Credentials credentials = co_await credentials_->get();
  co_return s3_presign_put(location_, credentials, spec, now);
}

awaitable<SignedRequest> S3Store::presign_get(GetSpec spec, domain::Timestamp now) {
  const sigv4::Credentials credentials = co_await credentials_->get();
  co_return s3_presign_get(location_, credentials, spec, now);
}

namespace {

// A request signed in the Authorization header (HEAD, GET, DELETE without a body).
util::HttpRequest signed_request(const S3Location& location, const sigv4::Credentials& credentials, std::string method,
                                 const std::string& path, domain::Timestamp now, sigv4::Pairs extra_headers) {
  const std::string date = amz_date(now);
  const std::string empty_hash = util::sha256_hex("");
  sigv4::Request r;
  r.method = method;
  r.canonical_uri = sigv4::canonical_uri(path, false);
  r.payload_hash = empty_hash;
  r.headers = std::move(extra_headers);
  r.headers.emplace_back("host", location.host);
  r.headers.emplace_back("x-amz-content-sha256", empty_hash);
  r.headers.emplace_back("x-amz-date", date);
  if (!credentials.session_token.empty()) r.headers.emplace_back("x-amz-security-token", credentials.session_token);
  const sigv4::Signed s = sigv4::sign(r, credentials, date, location.region, "s3");
  util::HttpRequest out;
  out.method = std::move(method);
  for (const auto& h : r.headers)
    if (h.first != "host") out.headers.push_back(h);
  out.headers.emplace_back("Authorization", s.authorization);
  return out;
}

// One S3 call as an X-Ray subsegment of the caller's span (namespace "aws", the operation, bucket
// and region, the HTTP status); a no-op when the caller is not traced.
awaitable<util::HttpReply> traced_call(boost::asio::any_io_executor executor, const S3Location& location,
                                       std::string operation, const util::HttpUrl& url, util::HttpRequest request) {
  const tracing::Span parent = co_await tracing::current_span();
  const tracing::Span span = parent.start_child("S3");
  span.set_namespace("aws");
  span.set("aws", boost::json::object{
                      {"operation", operation}, {"bucket_name", location.bucket}, {"region", location.region}});
  try {
    util::HttpReply reply = co_await util::http_request(executor, url, std::move(request));
    span.set("http", "response", boost::json::object{{"status", reply.status}});
    if (reply.status >= 500)
      span.mark_fault();
    else if (reply.status >= 400 && reply.status != 404)
      span.mark_error();
    span.end();
    co_return reply;
  } catch (const std::exception& e) {
    span.record_exception(e.what());
    span.end();
    // Unreachable, timed out, dropped: the store is unavailable, not the request wrong.
    throw store_unavailable("S3 " + operation + ": " + e.what());
  }
}

util::HttpUrl object_url(const S3Location& location, const std::string& path) {
  auto url = util::parse_http_url(location.scheme_host);
  if (!url) throw std::runtime_error("bad S3 endpoint " + location.scheme_host);
  url->target = sigv4::canonical_uri(path, false);
  return *url;
}

}  // namespace

awaitable<std::optional<std::string>> S3Store::read_sha256(const std::string& key, std::uint64_t size) {
  const sigv4::Credentials credentials = co_await credentials_->get();
  const std::string path = s3_object_path(location_, key);
  util::HttpRequest request = signed_request(location_, credentials, "GET", path, clock_.now(), {});
  request.max_body = static_cast<std::size_t>(size) + 1;
  request.timeout = std::chrono::seconds(60);
  const util::HttpUrl url = object_url(location_, path);
  const util::HttpReply reply = co_await traced_call(executor_, location_, "GetObject", url, std::move(request));
  if (reply.status == 404) co_return std::nullopt;
  if (reply.status != 200) throw store_unavailable("S3 GET answered " + std::to_string(reply.status));
  co_return util::sha256_hex(reply.body);
}

awaitable<std::optional<ObjectHead>> S3Store::head(std::string key) {
  const sigv4::Credentials credentials = co_await credentials_->get();
  const std::string path = s3_object_path(location_, key);
  sigv4::Pairs extra = {{"x-amz-checksum-mode", "ENABLED"}};
  util::HttpRequest request = signed_request(location_, credentials, "HEAD", path, clock_.now(), std::move(extra));
  const util::HttpUrl url = object_url(location_, path);
  const util::HttpReply reply = co_await traced_call(executor_, location_, "HeadObject", url, std::move(request));
  if (reply.status == 404) co_return std::nullopt;
  if (reply.status != 200) throw store_unavailable("S3 HEAD answered " + std::to_string(reply.status));
  ObjectHead out;
  out.size_bytes = std::stoull(std::string(reply.header("content-length").value_or("0")));
  out.content_type = std::string(reply.header("content-type").value_or(""));
  if (auto checksum = reply.header("x-amz-checksum-sha256")) out.sha256_hex = sha256_hex_of_checksum(*checksum);
  // A store that keeps no checksum (a local S3): hash the object itself; attachments are small.
  if (out.sha256_hex.empty()) out.sha256_hex = (co_await read_sha256(key, out.size_bytes)).value_or("");
  co_return out;
}

awaitable<void> S3Store::remove(std::string key) {
  const sigv4::Credentials credentials = co_await credentials_->get();
  const std::string path = s3_object_path(location_, key);
  util::HttpRequest request = signed_request(location_, credentials, "DELETE", path, clock_.now(), {});
  const util::HttpUrl url = object_url(location_, path);
  const util::HttpReply reply = co_await traced_call(executor_, location_, "DeleteObject", url, std::move(request));
  if (reply.status != 204 && reply.status != 200 && reply.status != 404)
    throw store_unavailable("S3 DELETE answered " + std::to_string(reply.status));
}

}  // namespace oms::objects
