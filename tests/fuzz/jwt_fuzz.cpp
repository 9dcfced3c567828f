// Bearer tokens come from any client. Two modes, chosen by the first byte:
// - anything else: the input is a token, verified against a key set holding one key. It must
//   be refused with UNAUTHENTICATED (nothing here can forge the signature), never crash.
// - '{': the input is a claims object, signed with the key, so the claim checks after the
//   signature (iss, aud, exp, nbf, sub, role) see arbitrary JSON. Accepted tokens must carry a
//   subject and a known role.
#include <boost/json.hpp>

#include "domain/error.hpp"
#include "fuzz/fuzz_support.hpp"
#include "identity/jwks.hpp"
#include "identity/jwt.hpp"
#include "util/encoding.hpp"

using namespace oms;

namespace {

using namespace std::chrono_literals;

struct Keys {
  // 1024 bits keeps signing fast enough for fuzzing (so the key is added directly: a JWKS
  // document must hold at least 2048 bits); verification does not care about the size.
  Keys() { set.add(kid, key); }
  identity::RsaKey key = identity::RsaKey::generate(1024);
  std::string kid = "fuzz-key";  // fixed, so seed tokens reach the signature check
  identity::KeySet set;
};

const Keys& keys() {
  static const Keys k;
  return k;
}

const identity::VerifyOptions k_options{"oms-local", "oms", 60s};
const std::chrono::sys_seconds k_now{std::chrono::seconds(1'800'000'000)};

void expect_unauthenticated(const domain::DomainError& e, std::string_view token) {
  fuzz::check(e.code() == domain::ErrorCode::unauthenticated, "a token refused with another code", token);
  fuzz::check(!e.detail().empty(), "a refusal without a detail", token);
}

void verify_any_token(std::string_view token) {
  try {
    (void)identity::verify_token(token, keys().set, k_options, k_now);
  } catch (const domain::DomainError& e) {
    expect_unauthenticated(e, token);
    return;
  }
  fuzz::fail("a token not signed by the key was accepted", token);
}

void verify_signed_claims(std::string_view claims) {
  boost::system::error_code ec;
  boost::json::value payload = boost::json::parse(claims, ec);
  if (ec || !payload.is_object()) return;
  const std::string token = identity::sign_token(payload.get_object(), keys().key, keys().kid);
  try {
    const identity::VerifiedToken v = identity::verify_token(token, keys().set, k_options, k_now);
    fuzz::check(!v.principal.user_id.empty(), "accepted without a subject", claims);
    fuzz::check(!domain::to_string(v.principal.role).empty(), "accepted with an unknown role", claims);
  } catch (const domain::DomainError& e) {
    expect_unauthenticated(e, claims);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::as_text(data, size);
  if (!text.empty() && text.front() == '{')
    verify_signed_claims(text);
  else
    verify_any_token(text);
  return 0;
}
