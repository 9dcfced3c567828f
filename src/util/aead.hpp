#pragma once
// AES-256-GCM (OpenSSL EVP), used to seal personal data inside audit payloads under a
// per-subject key (app/audit_pii.hpp): erasing the key makes the sealed text unreadable while
// the stored bytes, and so the audit hash chain, stay unchanged.
#include <optional>
#include <string>
#include <string_view>

namespace oms::util {

inline constexpr std::size_t k_aead_key_bytes = 32;

// nonce (12 random bytes) || ciphertext || tag (16 bytes). `key` must be 32 bytes.
std::string aes256gcm_seal(std::string_view key, std::string_view plaintext, std::string_view aad);
// nullopt when the key, the additional data or any byte of `sealed` is wrong.
std::optional<std::string> aes256gcm_open(std::string_view key, std::string_view sealed, std::string_view aad);

}  // namespace oms::util
