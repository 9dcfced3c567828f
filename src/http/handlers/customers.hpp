#pragma once
// /api/v1/customers: create, list, read and edit (deactivate) customers.
#include "app/services.hpp"
#include "http/json/reader.hpp"
#include "http/router.hpp"

namespace oms::http::handlers {

// The body of POST /api/v1/customers (also `customer` inside POST /api/v1/opportunities): reads
// every field, checks domain::check_customer's rules and finishes the reader.
app::CustomerInput read_customer(json::ObjectReader& r);

void register_customer_routes(Router& router, app::Services& services);

}  // namespace oms::http::handlers
