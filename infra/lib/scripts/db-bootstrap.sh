# Database bootstrap: the first container of the migrate task (run as `sh -c`); idempotent.
#  - creates the application role APP_BASE_USER (oms_app) with the password of its Secrets
#    Manager secret, the first time;
#  - creates its rotation twin <APP_BASE_USER>_clone (multi-user rotation alternates between the
#    two) as a member of oms_app whose sessions start with `SET ROLE oms_app`, so every object
#    is owned by oms_app whichever twin is current;
#  - sets the current user's password to the secret's (a no-op, except after a restore from a
#    backup taken before a rotation);
#  - makes oms_app the owner of the public schema (migrations run as oms_app).
# Environment: DB_HOST, DB_PORT, DB_NAME, ADMIN_USER, ADMIN_PASSWORD, APP_USER, APP_PASSWORD,
# APP_BASE_USER.
set -eu
export PGPASSWORD="$ADMIN_PASSWORD" PGSSLMODE=verify-full PGSSLROOTCERT=/etc/ssl/certs/rds-global-bundle.pem
export PGCONNECT_TIMEOUT=10
psql -X -q -v ON_ERROR_STOP=1 -h "$DB_HOST" -p "$DB_PORT" -U "$ADMIN_USER" -d "$DB_NAME" \
  -v app_user="$APP_USER" -v app_password="$APP_PASSWORD" \
  -v base="$APP_BASE_USER" -v clone="$APP_BASE_USER"_clone <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'base', :'app_password')
 WHERE :'app_user' = :'base' AND NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'base')
\gexec
SELECT format('ALTER ROLE %I PASSWORD %L', :'app_user', :'app_password')
 WHERE EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app_user')
\gexec
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'clone', md5(random()::text || clock_timestamp()::text))
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'clone')
\gexec
SELECT format('GRANT %I TO %I', :'base', :'clone')
 WHERE NOT pg_has_role(:'clone', :'base', 'MEMBER')
\gexec
SELECT format('ALTER ROLE %I SET role = %L', :'clone', :'base')
\gexec
SELECT format('GRANT %I TO %I', :'base', current_user)
 WHERE NOT pg_has_role(current_user, :'base', 'MEMBER')
\gexec
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', current_database(), :'base')
\gexec
SELECT format('ALTER SCHEMA public OWNER TO %I', :'base')
\gexec
SQL
echo "bootstrap: roles $APP_BASE_USER and $APP_BASE_USER""_clone ready in $DB_NAME"
