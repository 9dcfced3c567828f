"""Realistic data for bench/run, written with SQL straight into the database (not through the API).

Every opportunity belongs to the benchmark's Sales Manager (sm-1), has a title and a description
that carry its project code (8 hex digits from md5, rare in every trigram: what the search case
looks for; `project_code(i)`), and — unless
`root_only` — a problem statement of ~600 characters, three skill requirements and a timeline.
"""
import hashlib
import sqlite3
import subprocess

WORDS = ("migration", "platform", "analytics", "security", "data lake", "edge", "observability", "payments")
FILLER = ("The customer runs a mixed estate of on-premises and cloud workloads and wants a reviewed "
          "target architecture, a phased plan and hands-on help during the first release. ")
STATUSES = ("DRAFT", "SUBMITTED", "MATCHING_IN_PROGRESS", "MATCHES_FOUND")


def _array(values):
    return "ARRAY[" + ", ".join("'" + v + "'" for v in values) + "]"


def postgres_sql(n, root_only=False):
    """One script for psql: the user, n opportunities and (unless root_only) their parts."""
    parts = [
        "INSERT INTO users (id, name, email, role, is_active, first_seen_at, last_seen_at) VALUES "
        "('sm-1', 'Sam Seller', 'sm-1@example.com', 'SALES_MANAGER', true, now(), now()) "
        "ON CONFLICT (id) DO NOTHING;",
        f"""INSERT INTO opportunities (id, title, description, customer_id, sales_manager_id, priority, priority_rank,
  arr_cents, currency, region, requires_physical_presence, allows_remote_work, status, created_at, updated_at,
  submitted_at, version)
SELECT md5('opp-' || i)::uuid,
       'Opportunity ' || i || ' ' || ({_array(WORDS)})[1 + i % {len(WORDS)}],
       'Project code ' || upper(substr(md5('code-' || i), 1, 8)) || ': ' || ({_array(WORDS)})[1 + (i / 7) % {len(WORDS)}]
         || ' for a customer. ' || repeat('{FILLER}', 1 + i % 3),
       c.a[1 + i % array_length(c.a, 1)], 'sm-1',
       (ARRAY['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'])[1 + i % 4], i % 4,
       100000 * (1 + i % 500), 'USD', (ARRAY['EMEA', 'NA', 'APAC'])[1 + i % 3], i % 2 = 0, true,
       ({_array(STATUSES)})[1 + i % {len(STATUSES)}],
       now() - make_interval(secs => i), now() - make_interval(secs => i),
       CASE WHEN i % {len(STATUSES)} = 0 THEN NULL ELSE now() - make_interval(secs => i) END, 1
  FROM generate_series(1, {n}) i, (SELECT array_agg(id ORDER BY id) AS a FROM customers) c;""",
    ]
    if not root_only:
        parts += [
            f"""INSERT INTO problem_statements (opportunity_id, content, updated_at)
SELECT md5('opp-' || i)::uuid, 'Problem ' || i || ': ' || repeat('{FILLER}', 3), now() FROM generate_series(1, {n}) i;""",
            f"""INSERT INTO timelines (opportunity_id, expected_start_date, expected_end_date, specific_required_days, is_flexible)
SELECT md5('opp-' || i)::uuid, current_date + (i % 90), current_date + (i % 90) + 30, '[]', i % 2 = 0
  FROM generate_series(1, {n}) i;""",
            f"""INSERT INTO skill_requirements (id, opportunity_id, skill_id, skill_name, skill_type, importance,
  minimum_proficiency, created_at)
SELECT md5('sr-' || i || '-' || k)::uuid, md5('opp-' || i)::uuid, s.ids[1 + (i + k) % array_length(s.ids, 1)],
       s.names[1 + (i + k) % array_length(s.ids, 1)], s.cats[1 + (i + k) % array_length(s.ids, 1)],
       CASE WHEN k = 0 THEN 'MUST_HAVE' ELSE 'NICE_TO_HAVE' END, 'ADVANCED', now()
  FROM generate_series(1, {n}) i, generate_series(0, 2) k,
       (SELECT array_agg(id ORDER BY id) AS ids, array_agg(name ORDER BY id) AS names,
               array_agg(category ORDER BY id) AS cats FROM skills) s;""",
        ]
    # VACUUM, not only ANALYZE: the rows inserted start autovacuum at its next round (within a
    # minute), in the middle of the measurements — seen on the 1,000,000-row search case, where it
    # ran ~25 s beside them. (bench/run adds a CHECKPOINT, which needs a superuser.)
    parts.append("VACUUM (ANALYZE);")
    return "\n".join(parts) + "\n"


def _sqlite_script(n):
    """The same rows in SQLite's dialect (recursive CTEs instead of generate_series)."""
    words = " ".join(f"WHEN {i} THEN '{w}'" for i, w in enumerate(WORDS))
    statuses = " ".join(f"WHEN {i} THEN '{s}'" for i, s in enumerate(STATUSES))
    ts = "strftime('%Y-%m-%dT%H:%M:%S', 'now', '-' || i || ' seconds') || '.000000Z'"
    series = f"WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < {n})"
    oid = "uuid_md5('opp-' || i)"  # registered by load_sqlite: the same ids as md5(...)::uuid on PostgreSQL
    return [
        "INSERT OR IGNORE INTO users (id, name, email, role, is_active, first_seen_at, last_seen_at) VALUES "
        "('sm-1', 'Sam Seller', 'sm-1@example.com', 'SALES_MANAGER', 1, "
        "strftime('%Y-%m-%dT%H:%M:%S.000000Z', 'now'), strftime('%Y-%m-%dT%H:%M:%S.000000Z', 'now'))",
        f"""{series}, c AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM customers),
  cn AS (SELECT count(*) AS n FROM customers)
INSERT INTO opportunities (id, title, description, customer_id, sales_manager_id, priority, priority_rank,
  arr_cents, currency, region, requires_physical_presence, allows_remote_work, status, created_at, updated_at,
  submitted_at, version)
SELECT {oid}, 'Opportunity ' || i || ' ' || CASE i % {len(WORDS)} {words} END,
       'Project code ' || upper(substr(md5hex('code-' || i), 1, 8)) || ': ' || CASE (i / 7) % {len(WORDS)} {words} END
         || ' for a customer. ' || replace(hex(zeroblob(1 + i % 3)), '00', '{FILLER}'),
       (SELECT id FROM c WHERE k = i % (SELECT n FROM cn)), 'sm-1',
       CASE i % 4 WHEN 0 THEN 'LOW' WHEN 1 THEN 'MEDIUM' WHEN 2 THEN 'HIGH' ELSE 'CRITICAL' END, i % 4,
       100000 * (1 + i % 500), 'USD', CASE i % 3 WHEN 0 THEN 'EMEA' WHEN 1 THEN 'NA' ELSE 'APAC' END,
       i % 2 = 0, 1, CASE i % {len(STATUSES)} {statuses} END, {ts}, {ts},
       CASE WHEN i % {len(STATUSES)} = 0 THEN NULL ELSE {ts} END, 1
  FROM g""",
        f"""{series} INSERT INTO problem_statements (opportunity_id, content, updated_at)
SELECT {oid}, 'Problem ' || i || ': ' || replace(hex(zeroblob(3)), '00', '{FILLER}'), {ts} FROM g""",
        f"""{series} INSERT INTO timelines (opportunity_id, expected_start_date, expected_end_date, specific_required_days, is_flexible)
SELECT {oid}, date('now', '+' || (i % 90) || ' days'), date('now', '+' || (i % 90 + 30) || ' days'), '[]', i % 2 = 0 FROM g""",
        f"""{series}, k(k) AS (VALUES (0), (1), (2)),
  s AS (SELECT id, name, category, row_number() OVER (ORDER BY id) - 1 AS r FROM skills),
  sn AS (SELECT count(*) AS n FROM skills)
INSERT INTO skill_requirements (id, opportunity_id, skill_id, skill_name, skill_type, importance,
  minimum_proficiency, created_at)
SELECT uuid_md5('sr-' || i || '-' || k), {oid}, s.id, s.name, s.category,
       CASE WHEN k = 0 THEN 'MUST_HAVE' ELSE 'NICE_TO_HAVE' END, 'ADVANCED', {ts}
  FROM g, k JOIN s ON s.r = (i + k) % (SELECT n FROM sn)""",
    ]


def _uuid_from_md5(text):
    h = hashlib.md5(text.encode()).hexdigest()
    return f"{h[0:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def load_sqlite(path, n, oms, root_only=False):
    """Writes the rows into the SQLite file oms migrated (without their parts when `root_only`), then
    has `oms search-index` (the binary `oms`) index them for search: since migration 0010 rows
    written behind oms's back wait in its search queue, and oms's first COMMIT would index the whole
    backlog as one large FTS5 segment that every later merge rewrites (creates ran at a third of
    their speed). The search triggers of a schema before 0010 (an older `oms` measured) index each
    row and call oms_search_fold; the generated text is ASCII, for which the fold is exactly
    lower()."""
    db = sqlite3.connect(path)
    db.create_function("oms_search_fold", 1, lambda t: None if t is None else t.lower(), deterministic=True)
    db.create_function("uuid_md5", 1, _uuid_from_md5, deterministic=True)
    db.create_function("md5hex", 1, lambda t: hashlib.md5(t.encode()).hexdigest(), deterministic=True)
    db.execute("PRAGMA foreign_keys=ON")
    with db:
        statements = _sqlite_script(n)
        for statement in statements[:2] if root_only else statements:
            db.execute(statement)
    queued = db.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_pending'").fetchone()
    db.close()
    if queued:
        subprocess.run([str(oms), "search-index", "--database-url", f"sqlite://{path}"], check=True,
                       stdout=subprocess.DEVNULL)
    db = sqlite3.connect(path)
    db.execute("ANALYZE")
    db.close()


def opportunity_id(i):
    """The id of generated opportunity i (the same on both stores)."""
    return _uuid_from_md5(f"opp-{i}")


def project_code(i):
    """The project code in generated opportunity i's description."""
    return hashlib.md5(f"code-{i}".encode()).hexdigest()[:8].upper()
