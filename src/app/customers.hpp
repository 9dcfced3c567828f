#pragma once
// Use cases of customers (story: customers): Sales Managers and admins create, list, read them.
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

 private:
  Ports ports_;
};

}  // namespace oms::app
