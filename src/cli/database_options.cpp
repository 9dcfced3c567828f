#include "cli/database_options.hpp"

namespace oms::cli {

storage::DatabaseOptions database_options(const Config& c) {
  storage::DatabaseOptions o;
  o.url = c.database_url;
  o.replica_url = c.database_replica_url;
  o.password = c.database_password;
  o.pool_size = c.database_pool_size;
  o.prepared_statements = c.database_prepared;
  o.pool_wait = c.database_pool_wait;
  return o;
}

}  // namespace oms::cli
