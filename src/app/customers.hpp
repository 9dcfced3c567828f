#pragma once
// Use cases of customers (story: customers): Sales Managers and admins create, list, read, edit
// and deactivate them.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/context.hpp"
#include "domain/error.hpp"

namespace oms::app {

struct CustomerInput {
  std::string name;
  std::string industry;
  std::optional<std::string> website;
  std::optional<std::string> description;
  std::optional<domain::Contact> primary_contact;
};

// PATCH /customers/{id}: only the fields present change; `is_active` false deactivates, true
// reactivates. `website`, `description` and `primary_contact` may be set to null (reset).
struct CustomerPatch {
  std::optional<std::string> name;
  std::optional<std::string> industry;
  std::optional<std::optional<std::string>> website;
  std::optional<std::optional<std::string>> description;
  std::optional<std::optional<domain::Contact>> primary_contact;
  std::optional<bool> is_active;
};

class UnitOfWork;

namespace detail {
// The customer of `in`, checked by domain::check_customer (problems named `field_prefix` + field
// into `v`, not thrown) — the caller throws once it has checked everything else of the request.
domain::Customer new_customer(UnitOfWork& uow, const Ctx& ctx, CustomerInput in, domain::Validator& v,
                              std::string_view field_prefix);
// Inserts it (DUPLICATE on a taken name) and writes its "customer.create" audit entry, in the
// caller's UnitOfWork: POST /customers, and POST /opportunities with an inline `customer`.
awaitable<void> insert_customer(UnitOfWork& uow, const domain::Customer& c, std::string_view field_prefix);
}  // namespace detail

class Customers {
 public:
  explicit Customers(Ports ports) : ports_(ports) {}
  awaitable<Created<domain::Customer>> create(const Ctx&, CustomerInput, std::optional<IdempotencyKey>);
  awaitable<Page<domain::Customer>> list(const Ctx&, std::optional<std::string> name_query, PageRequest);
  awaitable<domain::Customer> get(const Ctx&, const std::string& id);
  // Admin, or the Sales Manager who created it while no other Sales Manager's opportunity
  // references it (else FORBIDDEN). `expected_version` from If-Match (PRECONDITION_FAILED when
  // the customer is at another version). A patch that changes nothing returns it unchanged.
  awaitable<domain::Customer> update(const Ctx&, const std::string& id, CustomerPatch patch,
                                     std::optional<std::int64_t> expected_version);

 private:
  Ports ports_;
};

}  // namespace oms::app
