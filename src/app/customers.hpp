#pragma once
// Use cases of customers (story: customers): Sales Managers and admins create, list, read them.
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"

namespace oms::app {

struct CustomerInput {
  std::string name;
  std::string industry;
  std::optional<std::string> website;
  std::optional<std::string> description;
  std::optional<domain::Contact> primary_contact;
};

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
