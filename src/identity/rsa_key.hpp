#pragma once
// An RSA key held by OpenSSL (EVP_PKEY): generated, loaded from PEM or built from a JWK.
// The only place that touches OpenSSL's key APIs; everything else sees bytes and strings.
#include <boost/json/object.hpp>
#include <memory>
#include <string>
#include <string_view>

struct evp_pkey_st;

namespace oms::identity {

class RsaKey {
 public:
  // A fresh private key (RSA 2048 by default).
  static RsaKey generate(int bits = 2048);
  // A private key from a PKCS#8 (or traditional) PEM text; throws std::runtime_error.
  static RsaKey from_private_pem(std::string_view pem);
  // A public key from a JWK's base64url modulus and exponent; throws std::runtime_error.
  static RsaKey from_jwk(std::string_view n_b64url, std::string_view e_b64url);

  bool has_private() const noexcept { return has_private_; }
  std::string private_pem() const;                               // PKCS#8 "BEGIN PRIVATE KEY"
  std::string public_der() const;                                // DER SubjectPublicKeyInfo
  std::string kid() const;                                       // first 16 hex chars of sha256(public_der())
  boost::json::object public_jwk(const std::string& kid) const;  // {kty, use, alg, kid, n, e}

  std::string sign_sha256(std::string_view data) const;  // RSASSA-PKCS1-v1_5 with SHA-256
  bool verify_sha256(std::string_view data, std::string_view signature) const noexcept;

 private:
  RsaKey(std::shared_ptr<evp_pkey_st> key, bool has_private) : key_(std::move(key)), has_private_(has_private) {}
  std::shared_ptr<evp_pkey_st> key_;
  bool has_private_ = false;
};

}  // namespace oms::identity
