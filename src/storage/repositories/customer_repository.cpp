#include "storage/repositories/customer_repository.hpp"

#include "storage/repositories/sql_support.hpp"

namespace oms::storage {
namespace {

constexpr const char* k_customer_columns =
    "id, name, industry, website, description, contact_name, contact_email, contact_phone, is_active, created_by, "
    "created_at, updated_at, version";

domain::Customer read_customer(const Row& r) {
  domain::Customer c;
  c.id = r.str(0);
  c.name = r.str(1);
  c.industry = r.str(2);
  c.website = r.text(3);
  c.description = r.text(4);
  if (!r.is_null(5)) c.primary_contact = domain::Contact{r.str(5), r.str(6), r.str(7)};
  c.is_active = r.boolean(8);
  c.created_by = r.str(9);
  c.created_at = r.timestamp(10);
  c.updated_at = r.timestamp(11);
  c.version = r.i64(12);
  return c;
}

}  // namespace

awaitable<std::optional<domain::Customer>> CustomerRepository::find(Session& s, const std::string& id) {
  Params p{id};
  const std::string sql = std::string("SELECT ") + k_customer_columns + " FROM customers WHERE id = $1";
  auto r = co_await s.query(sql, std::move(p));
  if (r.empty()) co_return std::nullopt;
  co_return read_customer(r.rows.front());
}

awaitable<std::optional<domain::Customer>> CustomerRepository::find_for_update(Session& s, const std::string& id) {
  Params p{id};
  std::string sql = std::string("SELECT ") + k_customer_columns + " FROM customers WHERE id = $1";
  if (s.dialect() == Dialect::postgres) sql += " FOR UPDATE";
  auto r = co_await s.query(sql, std::move(p));
  if (r.empty()) co_return std::nullopt;
  co_return read_customer(r.rows.front());
}

awaitable<void> CustomerRepository::insert(Session& s, const domain::Customer& c) {
  const auto& pc = c.primary_contact;
  Params p{c.id,
           c.name,
           c.industry,
           param(c.website),
           param(c.description),
           pc ? Param{pc->name} : Param{Null{}},
           pc ? Param{pc->email} : Param{Null{}},
           pc ? Param{pc->phone} : Param{Null{}},
           c.is_active,
           c.created_by,
           param(c.created_at),
           param(c.updated_at),
           c.version};
  const std::string sql = std::string("INSERT INTO customers (") + k_customer_columns +
                          ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
  co_await s.query(sql, std::move(p));
}

awaitable<bool> CustomerRepository::update(Session& s, const domain::Customer& c, std::int64_t expected_version) {
  const auto& pc = c.primary_contact;
  Params p{c.name,
           c.industry,
           param(c.website),
           param(c.description),
           pc ? Param{pc->name} : Param{Null{}},
           pc ? Param{pc->email} : Param{Null{}},
           pc ? Param{pc->phone} : Param{Null{}},
           c.is_active,
           param(c.updated_at),
           c.version,
           c.id,
           expected_version};
  auto r = co_await s.query(
      "UPDATE customers SET name = $1, industry = $2, website = $3, description = $4, contact_name = $5, "
      "contact_email = $6, contact_phone = $7, is_active = $8, updated_at = $9, version = $10 "
      "WHERE id = $11 AND version = $12",
      std::move(p));
  co_return r.affected == 1;
}

awaitable<bool> CustomerRepository::referenced_by_other_owner(Session& s, const std::string& customer_id,
                                                              const std::string& owner_id) {
  Params p{customer_id, owner_id};
  auto r = co_await s.query("SELECT 1 FROM opportunities WHERE customer_id = $1 AND sales_manager_id <> $2 LIMIT 1",
                            std::move(p));
  co_return !r.empty();
}

awaitable<std::vector<domain::Customer>> CustomerRepository::list(
    Session& s, const std::optional<std::string>& name_query,
    const std::optional<std::pair<std::string, std::string>>& after, int limit) {
  SqlBuilder q;
  q << "SELECT " << k_customer_columns << " FROM customers WHERE 1 = 1";
  if (name_query) q << " AND lower(name) LIKE " << q.bind(like_contains_pattern(*name_query)) << " ESCAPE '\\'";
  if (after) (q << " AND ").after_name_and_id(*after);
  q << " ORDER BY name, id LIMIT " << q.bind(std::int64_t{limit});
  auto r = co_await s.query(q.sql(), std::move(q.params()));
  co_return read_rows(r, read_customer);
}

awaitable<std::int64_t> CustomerRepository::count(Session& s) {
  Params none;
  auto r = co_await s.query("SELECT COUNT(*) FROM customers", std::move(none));
  co_return r.rows.front().i64(0);
}

awaitable<std::vector<domain::Customer>> CustomerRepository::with_contact_email(Session& s, const std::string& email) {
  Params p{email};
  const std::string sql = std::string("SELECT ") + k_customer_columns +
                          " FROM customers WHERE lower(contact_email) = lower($1) ORDER BY name, id";
  auto r = co_await s.query(sql, std::move(p));
  co_return read_rows(r, read_customer);
}

awaitable<std::vector<domain::Customer>> CustomerRepository::created_by(Session& s, const std::string& user_id) {
  Params p{user_id};
  const std::string sql =
      std::string("SELECT ") + k_customer_columns + " FROM customers WHERE created_by = $1 ORDER BY name, id";
  auto r = co_await s.query(sql, std::move(p));
  co_return read_rows(r, read_customer);
}

awaitable<void> CustomerRepository::clear_contact(Session& s, const std::string& id, domain::Timestamp updated_at) {
  Params p{id, param(updated_at)};
  co_await s.query(
      "UPDATE customers SET contact_name = NULL, contact_email = NULL, contact_phone = NULL, updated_at = $2, "
      "version = version + 1 "
      "WHERE id = $1",
      std::move(p));
}

}  // namespace oms::storage
