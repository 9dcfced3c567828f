#include "util/aead.hpp"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

#include "util/encoding.hpp"

namespace oms::util {
namespace {
constexpr int k_nonce_bytes = 12;
constexpr int k_tag_bytes = 16;

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

CipherCtx new_ctx() {
  CipherCtx ctx(EVP_CIPHER_CTX_new(), &EVP_CIPHER_CTX_free);
  if (!ctx) throw std::runtime_error("EVP_CIPHER_CTX_new failed");
  return ctx;
}

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
unsigned char* bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }
}  // namespace

std::string aes256gcm_seal(std::string_view key, std::string_view plaintext, std::string_view aad) {
  if (key.size() != k_aead_key_bytes) throw std::invalid_argument("AES-256-GCM needs a 32-byte key");
  const std::string nonce = random_bytes(k_nonce_bytes);
  auto ctx = new_ctx();
  int len = 0;
  std::string out(nonce);
  out.resize(k_nonce_bytes + plaintext.size() + k_tag_bytes);
  unsigned char* body = bytes(out) + k_nonce_bytes;
  if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(nonce)) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, bytes(aad), static_cast<int>(aad.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), body, &len, bytes(plaintext), static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), body + len, &len) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, k_tag_bytes, body + plaintext.size()) != 1)
    throw std::runtime_error("AES-256-GCM encryption failed");
  return out;
}

std::optional<std::string> aes256gcm_open(std::string_view key, std::string_view sealed, std::string_view aad) {
  if (key.size() != k_aead_key_bytes || sealed.size() < k_nonce_bytes + k_tag_bytes) return std::nullopt;
  const std::string_view nonce = sealed.substr(0, k_nonce_bytes);
  const std::string_view body = sealed.substr(k_nonce_bytes, sealed.size() - k_nonce_bytes - k_tag_bytes);
  std::string tag(sealed.substr(sealed.size() - k_tag_bytes));
  auto ctx = new_ctx();
  int len = 0;
  std::string out(body.size(), '\0');
  if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key), bytes(nonce)) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, bytes(aad), static_cast<int>(aad.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), bytes(out), &len, bytes(body), static_cast<int>(body.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, k_tag_bytes, bytes(tag)) != 1)
    return std::nullopt;
  int tail = 0;
  if (EVP_DecryptFinal_ex(ctx.get(), bytes(out) + len, &tail) != 1) return std::nullopt;
  return out;
}

}  // namespace oms::util
