#pragma once
// The web page's files, embedded at build time by tools/embed_web.py from web/: the pages
// (/ and /docs) and the assets under content-hashed names (/assets/app.3f2a9c01b7d4.js).
#include <string_view>
#include <vector>

namespace oms::http {

struct WebAsset {
  std::string_view path;          // "/", "/docs", "/assets/<stem>.<hash>.<ext>"
  std::string_view content_type;  // with charset for text
  std::string_view body;
  std::string_view body_gzip;  // the same bytes, gzip-compressed at build time
  bool immutable;              // hashed asset: cached for a year; pages: revalidated every time
};

const std::vector<WebAsset>& web_assets();  // generated

}  // namespace oms::http
