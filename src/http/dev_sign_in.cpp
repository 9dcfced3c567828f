#include "http/dev_sign_in.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <memory>

#include "http/json/reader.hpp"
#include "identity/demo_users.hpp"

namespace oms::http {
namespace {

boost::json::object user_json(const identity::DemoUser& u) {
  return {{"id", u.id}, {"name", u.name}, {"email", u.email}, {"role", domain::to_string(u.role)}};
}

}  // namespace

bool is_loopback_address(std::string_view address) {
  if (address == "localhost" || address == "::1" || address == "[::1]") return true;
  if (!address.starts_with("127.")) return false;
  // A dotted quad in 127.0.0.0/8: four decimal parts of 0..255.
  int parts = 0;
  std::size_t i = 0;
  while (i <= address.size()) {
    const std::size_t dot = std::min(address.find('.', i), address.size());
    const std::string_view part = address.substr(i, dot - i);
    if (part.empty() || part.size() > 3 || part.find_first_not_of("0123456789") != std::string_view::npos) return false;
    if (std::stoi(std::string(part)) > 255) return false;
    ++parts;
    i = dot + 1;
  }
  return parts == 4;
}

void register_dev_sign_in_routes(Router& router, DevSignInOptions options) {
  RouteOptions open;
  open.authenticated = false;
  router.add(
      Method::get, "/api/v1/dev/users",
      [](Request&) -> awaitable<Response> {
        boost::json::array items;
        for (const auto& u : identity::demo_users()) items.push_back(user_json(u));
        const boost::json::object body{{"items", std::move(items)}};
        co_return Response::json(200, boost::json::serialize(body));
      },
      open);

  RouteOptions post = open;
  post.json_body = true;
  post.max_body_bytes = 4096;
  auto shared = std::make_shared<const DevSignInOptions>(std::move(options));
  router.add(
      Method::post, "/api/v1/dev/tokens",
      [shared](Request& req) -> awaitable<Response> {
        domain::Validator v;
        std::optional<std::string> user_id;
        if (auto object = json::parse_object(req.body, v)) {
          json::ObjectReader reader(*object, v);
          user_id = reader.string("user_id", json::Need::required, 1, 255);
          reader.finish();
        }
        const identity::DemoUser* user = nullptr;
        if (user_id) {
          for (const auto& u : identity::demo_users())
            if (u.id == *user_id) user = &u;
          if (user == nullptr) v.add("user_id", "is not a demo user (GET /api/v1/dev/users lists them)");
        }
        v.throw_if_failed();
        identity::DevTokenRequest r;
        r.role = user->role;
        r.sub = user->id;
        r.name = user->name;
        r.email = user->email;
        r.ttl = shared->ttl;
        r.issuer = shared->issuer;
        r.audience = shared->audience;
        const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
        boost::json::object body{{"token", identity::issue_dev_token(shared->identity, r, now)},
                                 {"expires_in", shared->ttl.count()},
                                 {"user", user_json(*user)}};
        co_return Response::json(200, boost::json::serialize(body));
      },
      post);
}

}  // namespace oms::http
