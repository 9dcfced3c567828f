#include "jobs/signature.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

#include "util/encoding.hpp"

namespace oms::jobs {

std::string hmac_sha256_hex(std::string_view key, std::string_view message) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(message.data()), message.size(), out, &length) == nullptr)
    throw std::runtime_error("HMAC-SHA256 failed");
  return util::hex_encode(std::string_view(reinterpret_cast<const char*>(out), length));
}

std::string signature_header(std::string_view secret, std::string_view key_id, std::int64_t unix_seconds,
                             std::string_view body) {
  const std::string t = std::to_string(unix_seconds);
  std::string message = t;
  message += '.';
  message.append(body);
  return "t=" + t + ",kid=" + std::string(key_id) + ",v1=" + hmac_sha256_hex(secret, message);
}

}  // namespace oms::jobs
