#include "objects/sigv4.hpp"

#include <algorithm>
#include <map>

#include "util/encoding.hpp"

namespace oms::objects::sigv4 {
namespace {

bool unreserved(unsigned char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

// Header values: leading and trailing spaces removed, inner runs of spaces collapsed to one.
std::string trim_all(std::string_view value) {
  std::string out;
  bool space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t slash = path.find('/', start);
    const std::size_t end = slash == std::string_view::npos ? path.size() : slash;
    out.emplace_back(path.substr(start, end - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

}  // namespace

std::string uri_encode(std::string_view bytes, bool keep_slash) {
  static constexpr char k_hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size());
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (unreserved(c) || (keep_slash && c == '/')) {
      out += ch;
    } else {
      out += '%';
      out += k_hex[c >> 4];
      out += k_hex[c & 15];
    }
  }
  return out;
}

std::string canonical_uri(std::string_view decoded_path, bool normalize) {
  if (!normalize) return decoded_path.empty() ? std::string("/") : uri_encode(decoded_path, true);
  std::vector<std::string> kept;
  for (std::string& segment : split_path(decoded_path)) {
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      if (!kept.empty()) kept.pop_back();
      continue;
    }
    kept.push_back(std::move(segment));
  }
  std::string out;
  for (const auto& segment : kept) {
    out += '/';
    out += uri_encode(segment, false);
  }
  // A trailing slash survives normalization ("/example/" stays so), except on the root.
  const bool trailing = decoded_path.size() > 1 && decoded_path.back() == '/' && !kept.empty();
  if (out.empty() || trailing) out += '/';
  return out;
}

Canonical canonical_request(const Request& request) {
  std::vector<std::pair<std::string, std::string>> query;
  query.reserve(request.query.size());
  for (const auto& [name, value] : request.query) query.emplace_back(uri_encode(name, false), uri_encode(value, false));
  std::sort(query.begin(), query.end());
  std::string query_text;
  for (const auto& [name, value] : query) {
    if (!query_text.empty()) query_text += '&';
    query_text += name;
    query_text += '=';
    query_text += value;
  }
  // Repeated names join their values with ',' in the order sent.
  std::map<std::string, std::string> headers;
  for (const auto& [name, value] : request.headers) {
    std::string& joined = headers[util::to_lower_ascii(name)];
    if (!joined.empty()) joined += ',';
    joined += trim_all(value);
  }
  Canonical out;
  std::string header_text;
  for (const auto& [name, value] : headers) {
    header_text += name;
    header_text += ':';
    header_text += value;
    header_text += '\n';
    if (!out.signed_headers.empty()) out.signed_headers += ';';
    out.signed_headers += name;
  }
  out.request = request.method;
  out.request += '\n';
  out.request += request.canonical_uri;
  out.request += '\n';
  out.request += query_text;
  out.request += '\n';
  out.request += header_text;
  out.request += '\n';
  out.request += out.signed_headers;
  out.request += '\n';
  out.request += request.payload_hash;
  return out;
}

std::string credential_scope(std::string_view date, std::string_view region, std::string_view service) {
  std::string out(date);
  out += '/';
  out += region;
  out += '/';
  out += service;
  out += "/aws4_request";
  return out;
}

std::string string_to_sign(std::string_view amz_date, std::string_view scope, std::string_view canonical_request) {
  std::string out(k_algorithm);
  out += '\n';
  out += amz_date;
  out += '\n';
  out += scope;
  out += '\n';
  out += util::sha256_hex(canonical_request);
  return out;
}

std::string signature(std::string_view secret, std::string_view date, std::string_view region, std::string_view service,
                      std::string_view string_to_sign) {
  std::string key = "AWS4";
  key += secret;
  const std::string k_date = util::hmac_sha256(key, date);
  const std::string k_region = util::hmac_sha256(k_date, region);
  const std::string k_service = util::hmac_sha256(k_region, service);
  const std::string k_signing = util::hmac_sha256(k_service, "aws4_request");
  return util::hex_encode(util::hmac_sha256(k_signing, string_to_sign));
}

Signed sign(const Request& request, const Credentials& credentials, std::string_view amz_date, std::string_view region,
            std::string_view service) {
  Signed out;
  out.canonical = canonical_request(request);
  const std::string_view date = amz_date.substr(0, 8);
  const std::string scope = credential_scope(date, region, service);
  out.string_to_sign = string_to_sign(amz_date, scope, out.canonical.request);
  out.authorization = k_algorithm;
  out.authorization += " Credential=";
  out.authorization += credentials.access_key_id;
  out.authorization += '/';
  out.authorization += scope;
  out.authorization += ", SignedHeaders=";
  out.authorization += out.canonical.signed_headers;
  out.authorization += ", Signature=";
  out.authorization += signature(credentials.secret_access_key, date, region, service, out.string_to_sign);
  return out;
}

std::string presign_s3_url(const PresignInput& input, const Credentials& credentials) {
  const std::string_view date = std::string_view(input.amz_date).substr(0, 8);
  const std::string scope = credential_scope(date, input.region, "s3");
  Request request;
  request.method = input.method;
  request.canonical_uri = canonical_uri(input.decoded_path, false);
  request.headers = input.headers;
  request.headers.emplace_back("host", input.host);
  request.payload_hash = k_unsigned_payload;
  const std::string signed_headers = canonical_request(request).signed_headers;
  Pairs auth = {
      {"X-Amz-Algorithm", std::string(k_algorithm)},
      {"X-Amz-Credential", credentials.access_key_id + "/" + scope},
      {"X-Amz-Date", input.amz_date},
      {"X-Amz-Expires", std::to_string(input.expires_seconds)},
      {"X-Amz-SignedHeaders", signed_headers},
  };
  if (!credentials.session_token.empty()) auth.emplace_back("X-Amz-Security-Token", credentials.session_token);
  request.query = input.query;
  request.query.insert(request.query.end(), auth.begin(), auth.end());
  const Canonical canonical = canonical_request(request);
  const std::string sts = string_to_sign(input.amz_date, scope, canonical.request);
  std::string url = input.scheme_host + request.canonical_uri;
  char separator = '?';
  for (const auto& [name, value] : request.query) {
    url += separator;
    url += uri_encode(name, false);
    url += '=';
    url += uri_encode(value, false);
    separator = '&';
  }
  url += "&X-Amz-Signature=";
  url += signature(credentials.secret_access_key, date, input.region, "s3", sts);
  return url;
}

}  // namespace oms::objects::sigv4
