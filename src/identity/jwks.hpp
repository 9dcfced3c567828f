#pragma once
// A JSON Web Key Set: the public keys tokens may be signed with, by key id.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "identity/rsa_key.hpp"

namespace oms::identity {

class KeySet {
 public:
  void add(std::string kid, RsaKey key) { keys_.insert_or_assign(std::move(kid), std::move(key)); }
  const RsaKey* find(std::string_view kid) const;
  std::size_t size() const noexcept { return keys_.size(); }

 private:
  std::map<std::string, RsaKey, std::less<>> keys_;
};

// Parses {"keys":[{kty:"RSA", kid, n, e, ...}, ...]}. Keys that are not RSA signature keys are
// skipped; a document that is not a JWKS throws std::runtime_error.
KeySet parse_jwks(std::string_view json_text);

// {"keys":[<jwk>]} for one public key, pretty enough to read.
std::string jwks_document(const RsaKey& key, const std::string& kid);

}  // namespace oms::identity
