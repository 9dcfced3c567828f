"""Row count and checksum of every table, to prove a batch of requests changed nothing."""
import hashlib
import json
import sqlite3

# Columns a read legitimately refreshes (a user's last sighting), not a change a refused request
# may cause. Excluded so the snapshot tests what the requests wrote, not when they were made.
# The job worker runs in the server and delivers the outbox on its own schedule: when an event is
# published and the delivery jobs (the whole jobs table) are its state, not what requests wrote.
k_volatile_columns = {"users": {"last_seen_at"}, "outbox_events": {"published_at"}}
k_worker_tables = {"jobs"}


def _sqlite_snapshot(path):
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        out = {}
        for table in [t for t in tables if t not in k_worker_tables]:
            cursor = conn.execute(f'SELECT * FROM "{table}"')
            names = [d[0] for d in cursor.description]
            skip = k_volatile_columns.get(table, set())
            rows = sorted(
                json.dumps([repr(v) for n, v in zip(names, row) if n not in skip]) for row in cursor)
            out[table] = (len(rows), hashlib.md5("|".join(rows).encode()).hexdigest())
        return out
    finally:
        conn.close()


def _postgres_snapshot(db):
    tables = db.psql("SELECT table_name FROM information_schema.tables "
                     "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1").split()
    out = {}
    for table in [t for t in tables if t not in k_worker_tables]:
        row = "to_jsonb(t)" + "".join(f" - '{c}'" for c in sorted(k_volatile_columns.get(table, ())))
        line = db.psql(f"SELECT count(*), md5(string_agg(({row})::text, '|' ORDER BY ({row})::text)) "
                       f'FROM "{table}" t').strip()
        count, checksum = line.split("|")
        out[table] = (int(count), checksum)
    return out


def snapshot(db):
    """{table: (row count, checksum)} for the server's database (support.server.Database)."""
    if db.store == "sqlite":
        return _sqlite_snapshot(db.sqlite_path)
    return _postgres_snapshot(db)
