#pragma once
// AWS Signature Version 4 (AWS4-HMAC-SHA256): canonical request, string to sign, signing key,
// the Authorization header and S3 query-string pre-signing. Pure functions over strings; proven
// against AWS's published test suite (tests/unit/objects/sigv4_test.cpp) and byte for byte
// against botocore (tests/api/test_sigv4_boto3.py).
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace oms::objects::sigv4 {

using Pairs = std::vector<std::pair<std::string, std::string>>;

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty: long-term keys
};

inline constexpr std::string_view k_algorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view k_unsigned_payload = "UNSIGNED-PAYLOAD";

// RFC 3986 percent-encoding as SigV4 wants it: A-Z a-z 0-9 - . _ ~ stay, every other byte is %XX
// (upper-case hex); '/' stays too when `keep_slash` (object keys in paths).
std::string uri_encode(std::string_view bytes, bool keep_slash);

// The canonical URI of a decoded path: each segment encoded once (S3), or, when `normalize`,
// after removing "." and ".." segments and empty segments first (every other service).
std::string canonical_uri(std::string_view decoded_path, bool normalize);

struct Request {
  std::string method;         // "GET", "PUT", ...
  std::string canonical_uri;  // from canonical_uri()
  Pairs query;                // decoded names and values, any order
  Pairs headers;              // names in any case, values as sent; a repeated name keeps its order
  std::string payload_hash;   // hex SHA-256 of the body, or k_unsigned_payload
};

struct Canonical {
  std::string request;         // the canonical request text
  std::string signed_headers;  // "host;x-amz-date"
};
Canonical canonical_request(const Request& request);

// "20150830/us-east-1/service/aws4_request"
std::string credential_scope(std::string_view date, std::string_view region, std::string_view service);
std::string string_to_sign(std::string_view amz_date, std::string_view scope, std::string_view canonical_request);
// Hex HMAC of the string to sign under the key derived from secret, date, region and service.
std::string signature(std::string_view secret, std::string_view date, std::string_view region, std::string_view service,
                      std::string_view string_to_sign);

struct Signed {
  Canonical canonical;
  std::string string_to_sign;
  std::string authorization;  // the Authorization header value
};
// Signs a request whose headers already hold Host and X-Amz-Date (and X-Amz-Security-Token when
// the credentials have one); `amz_date` is "YYYYMMDDTHHMMSSZ".
Signed sign(const Request& request, const Credentials& credentials, std::string_view amz_date, std::string_view region,
            std::string_view service);

struct PresignInput {
  std::string method;
  std::string scheme_host;  // "https://bucket.s3.eu-west-1.amazonaws.com" or "http://127.0.0.1:4569"
  std::string host;         // the Host header value
  std::string decoded_path;
  Pairs query;    // operation parameters (response-content-type, ...), decoded, in URL order
  Pairs headers;  // besides host: the headers the client must send exactly (content-type, ...)
  std::string amz_date;
  std::string region;
  int expires_seconds = 900;
};
// The URL of S3 query-string authentication, laid out as botocore does: path, the operation
// parameters, then X-Amz-Algorithm,
// -Credential, -Date, -Expires, -SignedHeaders, [-Security-Token], then X-Amz-Signature.
std::string presign_s3_url(const PresignInput& input, const Credentials& credentials);

}  // namespace oms::objects::sigv4
