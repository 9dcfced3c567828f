#pragma once
// The filters of an export (POST /api/v1/exports, "filters"): the list route's filters as a JSON
// object instead of a query string, read with the same rules:
//   status: a status or an array of them; priority; customer_id (UUID); sales_manager_id;
//   query (full text, 1..200 characters); created_from, created_to (RFC 3339);
//   needs_attention (boolean); sort (as the list route's, e.g. "-created_at").
// Stored in canonical JSON with the export and read again by the worker.
#include <boost/json/object.hpp>
#include <string>

#include "app/opportunities.hpp"
#include "domain/error.hpp"

namespace oms::app {

// Adds every problem to `v` under "filters.<name>"; the query is valid only when none were added.
OpportunityQuery read_export_filters(const boost::json::object& filters, domain::Validator& v);

// The stored form: canonical JSON (keys sorted) of exactly the filters given.
std::string export_filters_text(const OpportunityQuery& q);

}  // namespace oms::app
