// Use cases of users: recorded on first sight from the token, listed and (de)activated by admins.
#include "app/users.hpp"

#include <boost/json.hpp>

#include "app/cache_codec.hpp"
#include "app/cached_reads.hpp"
#include "app/json_views.hpp"
#include "app/paging.hpp"
#include "app/read_audit.hpp"
#include "app/unit_of_work.hpp"
#include "domain/error.hpp"
#include "domain/policy.hpp"
#include "storage/repositories/user_repository.hpp"

namespace oms::app {
namespace json = boost::json;
using domain::DomainError;
using domain::ErrorCode;

namespace {
// last_seen_at is refreshed at most this often, so repeated requests write nothing.
constexpr auto k_last_seen_resolution = std::chrono::minutes(15);
constexpr const char* k_user_cursor_spec = "users";

// An access token carries no profile (Principal::profile_from_token): only its role is compared
// and recorded, and the name and email an ID token gave are kept.
bool same_profile(const domain::User& u, const domain::Principal& p) {
  if (!p.profile_from_token) return u.role == p.role;
  return u.name == p.name && u.email == p.email && u.role == p.role && u.employee_id == p.employee_id &&
         u.department == p.department;
}
void apply_profile(domain::User& u, const domain::Principal& p) {
  u.role = p.role;
  if (!p.profile_from_token) return;
  u.name = p.name;
  u.email = p.email;
  u.employee_id = p.employee_id;
  u.department = p.department;
}
bool fresh(const domain::User& u, domain::Timestamp now) { return now - u.last_seen_at < k_last_seen_resolution; }
[[noreturn]] void throw_deactivated() { throw DomainError(ErrorCode::forbidden, "user is deactivated"); }
}  // namespace

// Write-through: the user as it is after this request's touch, under `user:{id}` (15 min), so a
// fresh, unchanged user costs no database transaction. The lease is taken before the database
// read, so a deactivation committed meanwhile (which invalidates) is never overwritten.
awaitable<domain::User> Users::touch(const domain::Principal& p) {
  const std::string key = cached::user_key(p.user_id);
  std::string lease;
  if (ports_.cache) {
    if (auto bytes = co_await ports_.cache->lookup(key)) {
      std::optional<domain::User> hit;
      try {
        hit = codec::decode_user(*bytes);
      } catch (const std::exception&) {
      }
      if (hit && !hit->is_active) throw_deactivated();
      if (hit && same_profile(*hit, p) && fresh(*hit, ports_.clock.now())) co_return std::move(*hit);
    }
    lease = co_await ports_.cache->reserve(key);
  }
  domain::User u = co_await touch_database(p);
  if (ports_.cache) co_await ports_.cache->fill(key, lease, codec::encode(u), cached::k_user_ttl);
  co_return u;
}

awaitable<domain::User> Users::touch_database(const domain::Principal& p) {
  {
    auto session = co_await ports_.db.begin(storage::Access::read_one);  // one statement
    auto known = co_await storage::UserRepository::find(*session, p.user_id);
    co_await session->commit();
    if (known && !known->is_active) throw_deactivated();
    if (known && same_profile(*known, p) && fresh(*known, ports_.clock.now())) co_return std::move(*known);
  }
  UnitOfWork uow(ports_, p.user_id, "");
  co_await uow.begin();
  auto known = co_await storage::UserRepository::find(uow.session(), p.user_id);
  domain::User u;
  if (!known) {
    // First seen with an access token: the username (or client id) stands in for the name until
    // an ID token brings the profile; the email stays empty.
    u.id = p.user_id;
    u.name = p.name;
    u.email = p.email;
    u.role = p.role;
    u.employee_id = p.employee_id;
    u.department = p.department;
    u.is_active = true;
    u.first_seen_at = uow.now();
    u.last_seen_at = uow.now();
    if (!co_await storage::UserRepository::insert(uow.session(), u)) {
      // A concurrent first request recorded this user a moment ago: use its record.
      auto winner = co_await storage::UserRepository::find(uow.session(), p.user_id);
      if (!winner) throw DomainError(ErrorCode::internal, "user record vanished");
      if (!winner->is_active) throw_deactivated();
      co_return std::move(*winner);
    }
    AuditSpec audit{"user.create", "user", u.id, std::nullopt, user_snapshot(u)};
    co_await uow.audit(audit);
  } else {
    if (!known->is_active) throw_deactivated();
    u = *known;
    const bool profile_changed = !same_profile(u, p);
    apply_profile(u, p);
    u.last_seen_at = uow.now();
    co_await storage::UserRepository::update(uow.session(), u);
    // Profile changes are audited; a bare last-seen refresh is not (it is not a change of data).
    if (profile_changed) {
      AuditSpec audit{"user.update", "user", u.id, user_snapshot(*known), user_snapshot(u)};
      co_await uow.audit(audit);
    }
  }
  co_await uow.commit();
  co_return u;
}

awaitable<domain::User> Users::me(const Ctx& ctx) { co_return co_await touch(ctx.actor); }

awaitable<Page<domain::User>> Users::list(const Ctx& ctx, PageRequest page_request) {
  detail::check_page_limit(page_request.limit);
  std::optional<std::pair<std::string, std::string>> after;
  if (page_request.cursor) {
    Cursor c = decode_cursor(*page_request.cursor, k_user_cursor_spec);
    after = std::make_pair(c.key, c.id);
  }
  auto session = co_await ports_.db.begin(storage::Access::read_only);
  auto rows = co_await storage::UserRepository::list(*session, after, page_request.limit + 1);
  co_await session->commit();
  auto page = detail::page_by_name(std::move(rows), page_request.limit, k_user_cursor_spec);
  std::vector<std::string> shown;
  shown.reserve(page.items.size());
  for (const auto& u : page.items) shown.push_back(u.id);
  audit_personal_list_read(ports_, ctx, "user", std::move(shown));
  co_return page;
}

awaitable<domain::User> Users::set_active(const Ctx& ctx, const std::string& user_id, bool is_active) {
  if (!is_active && user_id == ctx.actor.user_id)
    throw DomainError(ErrorCode::validation_error, "An admin cannot deactivate themselves.",
                      {{"is_active", "you cannot deactivate your own account"}});
  UnitOfWork uow(ports_, ctx);
  co_await uow.begin();
  auto found = co_await storage::UserRepository::find(uow.session(), user_id);
  if (!found) throw DomainError(ErrorCode::not_found, "User not found.");
  if (found->is_active == is_active) co_return std::move(*found);
  uow.invalidate_after_commit(cached::user_key(user_id));
  domain::User after = *found;
  after.is_active = is_active;
  co_await storage::UserRepository::update(uow.session(), after);
  AuditSpec audit{is_active ? "user.activate" : "user.deactivate", "user", after.id, user_snapshot(*found),
                  user_snapshot(after)};
  co_await uow.audit(audit);
  co_await uow.commit();
  co_return after;
}

}  // namespace oms::app
