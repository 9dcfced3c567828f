#include "http/web_routes.hpp"

#include <boost/json.hpp>

#include "domain/attachments.hpp"
#include "http/web_assets.hpp"
#include "util/encoding.hpp"

namespace oms::http {
namespace {

// True when Accept-Encoding lists gzip without q=0 (RFC 9110 12.5.3; good enough for browsers).
bool accepts_gzip(const Request& req) {
  const auto accept = req.header("accept-encoding");
  if (!accept) return false;
  std::string_view rest = *accept;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    const auto semi = item.find(';');
    std::string_view coding = item.substr(0, semi);
    while (!coding.empty() && coding.back() == ' ') coding.remove_suffix(1);
    if (coding != "gzip") continue;
    if (semi == std::string_view::npos) return true;
    std::string_view params = item.substr(semi + 1);
    while (!params.empty() && params.front() == ' ') params.remove_prefix(1);
    return !(params.starts_with("q=0") && params.find_first_not_of("q=0.", 0) == std::string_view::npos);
  }
  return false;
}

// A strong validator from the body, so a revalidated page costs a 304 and no body.
std::string etag_of(std::string_view body) {
  std::string etag(1, '"');
  etag += util::sha256_hex(body).substr(0, 20);
  etag += '"';
  return etag;
}

}  // namespace

std::string content_security_policy(const WebConfig& config) {
  std::string connect = "'self'";
  if (!config.cognito_domain.empty()) {
    connect += ' ';
    connect += config.cognito_domain;
  }
  if (!config.upload_origin.empty()) {
    connect += ' ';
    connect += config.upload_origin;
  }
  std::string csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; ";
  csp += "connect-src ";
  csp += connect;
  csp += "; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
  return csp;
}

void register_web_routes(Router& router, const WebConfig& config) {
  RouteOptions open;
  open.authenticated = false;
  const std::string csp = content_security_policy(config);

  for (const WebAsset& asset : web_assets()) {
    const std::string etag = etag_of(asset.body);
    router.add(
        Method::get, std::string(asset.path),
        [&asset, etag, csp](Request& req) -> awaitable<Response> {
          Response r;
          r.content_type = std::string(asset.content_type);
          r.header("ETag", etag);
          r.header("Vary", "Accept-Encoding");
          if (asset.immutable) {
            r.header("Cache-Control", "public, max-age=31536000, immutable");
          } else {
            // The page names the hashed assets: always revalidated, so a new build shows at once.
            r.header("Cache-Control", "no-cache");
            r.header("Content-Security-Policy", csp);
            r.header("Referrer-Policy", "no-referrer");
            r.header("X-Frame-Options", "DENY");
          }
          if (req.header("if-none-match") == std::optional<std::string_view>(etag)) {
            r.status = 304;
            co_return r;
          }
          if (accepts_gzip(req)) {
            r.header("Content-Encoding", "gzip");
            r.body = std::string(asset.body_gzip);
          } else {
            r.body = std::string(asset.body);
          }
          co_return r;
        },
        open);
  }

  boost::json::object body;
  body["sign_in"] = config.development_sign_in ? "development" : config.cognito_domain.empty() ? "none" : "cognito";
  if (!config.development_sign_in && !config.cognito_domain.empty()) {
    body["cognito_domain"] = config.cognito_domain;
    body["client_id"] = config.client_id;
  }
  // What the upload form may offer and check before sending (the server checks again).
  boost::json::array types;
  for (std::string_view type : domain::allowed_attachment_types()) types.emplace_back(type);
  body["attachments"] = {{"max_bytes", domain::k_attachment_max_bytes}, {"content_types", std::move(types)}};
  const std::string json = boost::json::serialize(body);
  router.add(
      Method::get, "/web-config.json",
      [json](Request&) -> awaitable<Response> {
        Response r = Response::json(200, json);
        r.header("Cache-Control", "no-cache");
        co_return r;
      },
      open);
}

}  // namespace oms::http
