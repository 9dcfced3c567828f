#pragma once
// The web page for sales managers and admins (web/, embedded by tools/embed_web.py):
//   GET /                   the page (no-cache, strict Content-Security-Policy)
//   GET /docs               the API reference, rendered from /api/v1/openapi.json
//   GET /assets/<hashed>    scripts and styles, cached for a year (immutable)
//   GET /web-config.json    how the page signs in (development or Cognito Hosted UI) and the
//                           attachment types and size it may upload
#include <string>

#include "http/router.hpp"

namespace oms::http {

struct WebConfig {
  bool development_sign_in = false;  // embedded profile: /api/v1/dev/* lists demo users and signs tokens
  std::string cognito_domain;        // production: Hosted UI base URL (https://...), empty: not configured
  std::string client_id;             // the Cognito app client (public, PKCE)
  // Where the page PUTs attachments with pre-signed URLs when that is not this origin (the S3
  // endpoint of an s3:// --attachments-url, e.g. https://bucket.s3.eu-west-1.amazonaws.com).
  std::string upload_origin;
};

void register_web_routes(Router& router, const WebConfig& config);

// The Content-Security-Policy of the pages: scripts, styles and connections to this origin only
// (plus the Hosted UI's token endpoint and the attachments' upload origin when configured); no
// inline script or style.
std::string content_security_policy(const WebConfig& config);

}  // namespace oms::http
