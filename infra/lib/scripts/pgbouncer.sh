# PgBouncer sidecar entrypoint (run as `sh -c` by the ECS container definition).
# Writes the configuration into /tmp (the task's writable volume; the root filesystem is
# read-only) from the environment, then execs pgbouncer in the foreground.
#   DB_HOST, DB_PORT, DB_NAME           primary
#   DB_REPLICA_HOST (optional)          read replica, exposed as database <DB_NAME>_replica
#   DB_USER, DB_PASSWORD                server credentials (Secrets Manager, rotated)
#   CLIENT_USER                         the name oms connects with (OMS_DATABASE_URL)
#   POOL_MODE, DEFAULT_POOL_SIZE, RESERVE_POOL_SIZE, MAX_DB_CONNECTIONS, MAX_CLIENT_CONN
set -eu
umask 077
conf_dir=/tmp/pgbouncer
mkdir -p "$conf_dir"
ca=/etc/ssl/certs/rds-global-bundle.pem
server="host=$DB_HOST port=$DB_PORT dbname=$DB_NAME user=$DB_USER password=$DB_PASSWORD"
{
  echo '[databases]'
  echo "$DB_NAME = $server"
  if [ -n "${DB_REPLICA_HOST:-}" ]; then
    echo "$DB_NAME"_replica" = host=$DB_REPLICA_HOST port=$DB_PORT dbname=$DB_NAME user=$DB_USER password=$DB_PASSWORD"
  fi
  echo '[pgbouncer]'
  echo 'listen_addr = 127.0.0.1'
  echo 'listen_port = 6432'
  echo 'unix_socket_dir ='
  echo 'auth_type = scram-sha-256'
  echo "auth_file = $conf_dir/userlist.txt"
  echo "pool_mode = ${POOL_MODE:-transaction}"
  echo "default_pool_size = ${DEFAULT_POOL_SIZE:-20}"
  echo "reserve_pool_size = ${RESERVE_POOL_SIZE:-30}"
  echo 'reserve_pool_timeout = 2'
  echo "max_db_connections = ${MAX_DB_CONNECTIONS:-50}"
  echo "max_client_conn = ${MAX_CLIENT_CONN:-500}"
  echo 'server_tls_sslmode = verify-full'
  echo "server_tls_ca_file = $ca"
  echo 'server_tls_protocols = secure'
  echo 'server_reset_query = DISCARD ALL'
  echo 'server_check_delay = 10'
  echo 'server_lifetime = 3600'
  echo 'server_idle_timeout = 300'
  echo 'ignore_startup_parameters = extra_float_digits,options'
  echo 'log_connections = 0'
  echo 'log_disconnections = 0'
  echo 'stats_period = 60'
  echo "admin_users = $CLIENT_USER"
} > "$conf_dir/pgbouncer.ini"
printf '"%s" "%s"\n' "$CLIENT_USER" "$DB_PASSWORD" > "$conf_dir/userlist.txt"
exec pgbouncer "$conf_dir/pgbouncer.ini"
