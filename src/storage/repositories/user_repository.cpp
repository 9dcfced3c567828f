#include "storage/repositories/user_repository.hpp"

#include "storage/repositories/sql_support.hpp"

namespace oms::storage {
namespace {

constexpr const char* k_user_columns =
    "id, name, email, role, employee_id, department, is_active, first_seen_at, last_seen_at";

domain::User read_user(const Row& r) {
  domain::User u;
  u.id = r.str(0);
  u.name = r.str(1);
  u.email = r.str(2);
  u.role = enum_column<domain::Role>(r, 3);
  u.employee_id = r.text(4);
  u.department = r.text(5);
  u.is_active = r.boolean(6);
  u.first_seen_at = r.timestamp(7);
  u.last_seen_at = r.timestamp(8);
  return u;
}

// id through is_active ($1 to $7): the columns insert and update both write.
Params user_params(const domain::User& u) {
  return Params{
      u.id,       u.name, u.email, std::string(domain::to_string(u.role)), param(u.employee_id), param(u.department),
      u.is_active};
}

}  // namespace

awaitable<std::optional<domain::User>> UserRepository::find(Session& s, const std::string& id) {
  Params p{id};
  const std::string sql = std::string("SELECT ") + k_user_columns + " FROM users WHERE id = $1";
  auto r = co_await s.query(sql, std::move(p));
  if (r.empty()) co_return std::nullopt;
  co_return read_user(r.rows.front());
}

awaitable<bool> UserRepository::insert(Session& s, const domain::User& u) {
  Params p = user_params(u);
  p.push_back(param(u.first_seen_at));
  p.push_back(param(u.last_seen_at));
  const std::string sql = std::string("INSERT INTO users (") + k_user_columns +
                          ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING";
  auto r = co_await s.query(sql, std::move(p));
  co_return r.affected == 1;
}

awaitable<void> UserRepository::update(Session& s, const domain::User& u) {
  Params p = user_params(u);
  p.push_back(param(u.last_seen_at));
  co_await s.query(
      "UPDATE users SET name = $2, email = $3, role = $4, employee_id = $5, department = $6, is_active = $7, "
      "last_seen_at = $8 WHERE id = $1",
      std::move(p));
}

awaitable<std::vector<domain::User>> UserRepository::list(
    Session& s, const std::optional<std::pair<std::string, std::string>>& after, int limit) {
  SqlBuilder q;
  q << "SELECT " << k_user_columns << " FROM users";
  if (after) (q << " WHERE ").after_name_and_id(*after);
  q << " ORDER BY name, id LIMIT " << q.bind(std::int64_t{limit});
  auto r = co_await s.query(q.sql(), std::move(q.params()));
  co_return read_rows(r, read_user);
}

}  // namespace oms::storage
