#include "identity/jwks.hpp"

#include <boost/json.hpp>
#include <stdexcept>

namespace oms::identity {

const RsaKey* KeySet::find(std::string_view kid) const {
  auto it = keys_.find(kid);
  return it == keys_.end() ? nullptr : &it->second;
}

KeySet parse_jwks(std::string_view json_text) {
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(json_text, ec);
  if (ec || !doc.is_object()) throw std::runtime_error("the JWKS is not a JSON object");
  const auto* keys = doc.as_object().if_contains("keys");
  if (keys == nullptr || !keys->is_array()) throw std::runtime_error("the JWKS has no \"keys\" array");
  KeySet set;
  for (const auto& entry : keys->as_array()) {
    if (!entry.is_object()) continue;
    const auto& jwk = entry.as_object();
    auto str = [&](const char* name) -> std::string {
      const auto* v = jwk.if_contains(name);
      return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
    };
    if (str("kty") != "RSA") continue;
    if (auto use = str("use"); !use.empty() && use != "sig") continue;
    if (auto alg = str("alg"); !alg.empty() && alg != "RS256") continue;
    std::string kid = str("kid");
    if (kid.empty()) continue;
    set.add(kid, RsaKey::from_jwk(str("n"), str("e")));
  }
  return set;
}

std::string jwks_document(const RsaKey& key, const std::string& kid) {
  boost::json::array keys;
  keys.push_back(key.public_jwk(kid));
  boost::json::object doc;
  doc["keys"] = std::move(keys);
  return boost::json::serialize(doc) + "\n";
}

}  // namespace oms::identity
