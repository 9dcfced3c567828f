#pragma once
// SQL for customers.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "domain/entities.hpp"
#include "storage/database.hpp"

namespace oms::storage {

class CustomerRepository {
 public:
  static awaitable<std::optional<domain::Customer>> find(Session& s, const std::string& id);
  // The same, locked until the transaction ends (PostgreSQL FOR UPDATE; SQLite's writer is alone):
  // an opportunity being inserted for it (its foreign key check holds KEY SHARE) commits first or
  // waits, so "no other Sales Manager's opportunity uses it" cannot change under a PATCH.
  static awaitable<std::optional<domain::Customer>> find_for_update(Session& s, const std::string& id);
  // Throws UniqueViolation when the name is taken (case-insensitively).
  static awaitable<void> insert(Session& s, const domain::Customer& c);
  // Writes every field of `c` (with c.version) if the row is still at `expected_version`; false
  // when it is not (a concurrent change won). Throws UniqueViolation when the new name is taken.
  static awaitable<bool> update(Session& s, const domain::Customer& c, std::int64_t expected_version);
  // True when an opportunity of a Sales Manager other than `owner_id` references the customer.
  static awaitable<bool> referenced_by_other_owner(Session& s, const std::string& customer_id,
                                                   const std::string& owner_id);
  // Ordered by (name, id); `name_query` is a case-insensitive substring; `after` the last (name, id).
  static awaitable<std::vector<domain::Customer>> list(Session& s, const std::optional<std::string>& name_query,
                                                       const std::optional<std::pair<std::string, std::string>>& after,
                                                       int limit);
  static awaitable<std::int64_t> count(Session& s);
  // Data-subject requests: the customers whose primary contact has this e-mail address
  // (case-insensitively), those a user created, and removing a primary contact.
  static awaitable<std::vector<domain::Customer>> with_contact_email(Session& s, const std::string& email);
  static awaitable<std::vector<domain::Customer>> created_by(Session& s, const std::string& user_id);
  static awaitable<void> clear_contact(Session& s, const std::string& id, domain::Timestamp updated_at);
};

}  // namespace oms::storage
