#include "objects/cloudfront_signer.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <chrono>
#include <stdexcept>

#include "objects/content_disposition.hpp"
#include "objects/sigv4.hpp"
#include "objects/store_errors.hpp"
#include "util/encoding.hpp"

namespace oms::objects::cloudfront {
namespace {

void append_u_escape(std::string& out, unsigned v) {
  static constexpr char k_hex[] = "0123456789abcdef";
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += k_hex[(v >> shift) & 15];
}

// One code point from UTF-8 at `i` (advanced past it); U+FFFD for a malformed sequence.
unsigned next_code_point(std::string_view s, std::size_t& i) {
  const auto lead = static_cast<unsigned char>(s[i]);
  const int length = lead < 0x80 ? 1 : (lead >> 5) == 6 ? 2 : (lead >> 4) == 14 ? 3 : (lead >> 3) == 30 ? 4 : 0;
  if (length == 0 || i + length > s.size()) {
    ++i;
    return 0xFFFD;
  }
  unsigned v = length == 1 ? lead : lead & (0x7Fu >> length);
  for (int k = 1; k < length; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c >> 6) != 2) {
      ++i;
      return 0xFFFD;
    }
    v = (v << 6) | (c & 0x3F);
  }
  i += length;
  return v;
}

// A JSON string body as Python's json.dumps (ensure_ascii) writes it.
std::string python_json_string(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const unsigned v = next_code_point(s, i);
    switch (v) {
      case '"':
        out += "\\\"";
        continue;
      case '\\':
        out += "\\\\";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\r':
        out += "\\r";
        continue;
      case '\t':
        out += "\\t";
        continue;
      case '\b':
        out += "\\b";
        continue;
      case '\f':
        out += "\\f";
        continue;
      default:
        break;
    }
    if (v >= 0x20 && v < 0x7F) {
      out += static_cast<char>(v);
    } else if (v < 0x10000) {
      append_u_escape(out, v);
    } else {  // a surrogate pair
      const unsigned u = v - 0x10000;
      append_u_escape(out, 0xD800 + (u >> 10));
      append_u_escape(out, 0xDC00 + (u & 0x3FF));
    }
  }
  return out;
}

}  // namespace

std::string url_safe_base64(std::string_view bytes) {
  std::string out = util::base64_encode(bytes);
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '=') c = '_';
    if (c == '/') c = '~';
  }
  return out;
}

std::string canned_policy(std::string_view resource, std::int64_t expires_epoch) {
  std::string out = R"({"Statement":[{"Resource":")";
  out += python_json_string(resource);
  out += R"(","Condition":{"DateLessThan":{"AWS:EpochTime":)";
  out += std::to_string(expires_epoch);
  out += "}}}]}";
  return out;
}

PrivateKey::PrivateKey(evp_pkey_st* key) : key_(key, EVP_PKEY_free) {}

PrivateKey PrivateKey::from_pem(std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  if (!bio) throw std::invalid_argument("cannot read the key");
  // No passphrase: an encrypted key is refused rather than prompted for on the terminal.
  pem_password_cb* no_passphrase = [](char*, int, int, void*) { return 0; };
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr);
  if (key == nullptr) throw std::invalid_argument("not a PEM private key");
  PrivateKey out(key);
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) throw std::invalid_argument("not an RSA key (CloudFront needs RSA)");
  return out;
}

std::string PrivateKey::sign_sha1(std::string_view data) const {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::size_t length = 0;
  // RSA keys sign with PKCS #1 v1.5 padding unless told otherwise.
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha1(), nullptr, key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &length, reinterpret_cast<const unsigned char*>(data.data()), data.size()) !=
          1)
    throw std::runtime_error("RSA-SHA1 signing failed");
  std::string out(length, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &length,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1)
    throw std::runtime_error("RSA-SHA1 signing failed");
  out.resize(length);
  return out;
}

std::string sign_canned_url(std::string_view url, std::int64_t expires_epoch, const PrivateKey& key,
                            std::string_view key_pair_id) {
  const std::string signature = url_safe_base64(key.sign_sha1(canned_policy(url, expires_epoch)));
  std::string out(url);
  out += url.find('?') == std::string_view::npos ? '?' : '&';
  out += "Expires=";
  out += std::to_string(expires_epoch);
  out += "&Signature=";
  out += signature;
  out += "&Key-Pair-Id=";
  out += key_pair_id;
  return out;
}

}  // namespace oms::objects::cloudfront

namespace oms::objects {

std::string CloudFrontSigner::resource_url(const GetSpec& spec) const {
  std::string out = "https://";
  out += settings_.domain;
  out += '/';
  out += sigv4::uri_encode(settings_.path_prefix + spec.key, true);
  // Passed on to S3 by the distribution's cache policy (and part of its cache key).
  out += "?response-content-disposition=";
  out += sigv4::uri_encode(attachment_disposition(spec.file_name), false);
  out += "&response-content-type=";
  out += sigv4::uri_encode(spec.content_type, false);
  return out;
}

SignedRequest CloudFrontSigner::sign_get(const GetSpec& spec, domain::Timestamp now) const {
  if (!key_) throw store_unavailable("CloudFront signing key: " + key_problem_);
  const auto expires = std::chrono::floor<std::chrono::seconds>(now + spec.ttl);
  SignedRequest out;
  out.method = "GET";
  out.url =
      cloudfront::sign_canned_url(resource_url(spec), expires.time_since_epoch().count(), *key_, settings_.key_pair_id);
  out.expires_at = expires;
  return out;
}

}  // namespace oms::objects
