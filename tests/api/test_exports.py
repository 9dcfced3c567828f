"""Exports (issue 11), as users meet them, on both object stores: the embedded file:// store (oms
serves the signed download URL itself) and s3:// against a local S3 that verifies SigV4
(@20minutes/s3rver from tests/s3rver, started here on 127.0.0.1; the worker writes with a
multipart upload, or one PutObject for a small export).

A sales manager exports their own opportunities, narrowed by the list route's filters; an admin
exports everyone's, and the audit log as JSON Lines. The request answers 202 at once, the
in-process worker streams the rows, `GET /api/v1/exports/{id}` shows the progress and, once
COMPLETED, a signed download URL that works, is refused when altered and expires. The CSV parses
with Python's csv module and neutralises formulas; every JSON line has the list item's shape.
Bad input is refused with a precise problem and records nothing."""
import contextlib
import csv
import io
import json
import sqlite3
import time
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
import requests

from support import rand
from support.client import Api, assert_problem
from support.factory import create_customer, create_opportunity
from support.s3 import S3rver, k_keys, process_env
from support.server import own_server, run_cli

k_bucket = "oms-exports"
k_wait_s = 60  # the longest an export of this suite may take before the test gives up

k_csv_columns = [
    "id", "title", "description", "customer_id", "sales_manager_id", "priority", "annual_recurring_revenue",
    "currency", "geographic_requirements.region", "geographic_requirements.requires_physical_presence",
    "geographic_requirements.allows_remote_work", "status", "status_before_cancellation", "selected_architect_id",
    "created_at", "updated_at", "submitted_at", "completed_at", "cancelled_at", "cancellation_reason",
    "reactivation_deadline", "version"]


class Store:
    """One server with its exports store, and how to look at what it holds."""

    def __init__(self, kind, server, s3=None):
        self.kind = kind
        self.server = server
        self.s3 = s3

    def object_keys(self):
        if self.kind == "file":
            root = self.server.data_dir / "objects" / "exports"
            return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.is_dir() else []
        return self.s3.keys()

    def export_rows(self):
        """How many export requests the database holds."""
        db = self.server.db
        if db.store == "sqlite":
            with contextlib.closing(sqlite3.connect(db.sqlite_path)) as c:
                return c.execute("SELECT COUNT(*) FROM exports").fetchone()[0]
        return int(db.psql("SELECT COUNT(*) FROM exports"))


@contextlib.contextmanager
def exports_server(kind, oms_binary, db_store, data_dir, extra=()):
    with contextlib.ExitStack() as stack:
        args = ["--rate-limit-per-second", "0", *extra]
        s3 = None
        env = {}
        if kind == "s3":
            s3 = stack.enter_context(S3rver(data_dir / "s3", k_bucket, request_log=data_dir / "s3-requests.log"))
            args += ["--exports-url", f"s3://{k_bucket}?endpoint={s3.endpoint}&region=us-east-1"]
            # The server reads its S3 keys from the environment while it starts.
            env = dict(k_keys, AWS_REGION="us-east-1")
        with process_env(**env):
            srv = stack.enter_context(own_server(oms_binary, db_store, data_dir / "oms", extra_args=args))
        yield Store(kind, srv, s3)


@pytest.fixture(scope="module", params=["file", "s3"])
def store(request, oms_binary, tmp_path_factory, pytestconfig):
    data_dir = tmp_path_factory.mktemp(f"exports-{request.param}")
    with exports_server(request.param, oms_binary, pytestconfig.getoption("--store"), data_dir) as s:
        yield s


def callers(srv, openapi):
    clients = {}
    for key, role in (("sm1", "SALES_MANAGER"), ("sm2", "SALES_MANAGER"), ("admin", "ADMIN"),
                      ("sa", "SOLUTION_ARCHITECT")):
        sub = str(rand.uuid4())
        token = srv.token(role, sub, key, f"{key}.{sub[:8]}@example.com")
        clients[key] = Api(srv.base_url, openapi, token)
        clients[key].get("/api/v1/me", expect=200)
        clients[key].sub = sub
    clients["anonymous"] = Api(srv.base_url, openapi, None)
    return clients


@pytest.fixture(scope="module")
def world(store, openapi):
    """sm1 owns four opportunities (one titled like a formula, one with commas, quotes and line
    breaks, one LOW priority), sm2 owns two."""
    w = callers(store.server, openapi)
    customer = create_customer(w["sm1"])["id"]
    w["customer"] = customer
    w["word"] = "zebra" + rand.uuid4().hex[:8]
    sm1 = [
        create_opportunity(w["sm1"], customer, title="=HYPERLINK(\"http://evil\",\"click\")"),
        create_opportunity(w["sm1"], customer, title=f"Plain {w['word']}",
                           description="Line one, with a comma\nline \"two\"\r\nand -1 @ the end"),
        create_opportunity(w["sm1"], customer, title="+49 call me", priority="LOW"),
        create_opportunity(w["sm1"], customer, title="Zürich – 東京 ✓"),
    ]
    sm2 = [create_opportunity(w["sm2"], customer, title=f"Other {i}") for i in range(2)]
    w["sm1_opps"] = {o["id"]: o for o in sm1}
    w["sm2_opps"] = {o["id"]: o for o in sm2}
    return w


def request_export(client, body):
    resp = client.post("/api/v1/exports", json=body, expect=202)
    assert resp.json["status"] == "PENDING"
    assert resp.headers["Location"] == f"/api/v1/exports/{resp.json['id']}"
    return resp.json["id"]


def wait_done(client, export_id):
    """Polls until the export finished; returns its last state and every progress seen."""
    seen = []
    deadline = time.monotonic() + k_wait_s
    while True:
        e = client.get(f"/api/v1/exports/{export_id}", expect=200).json
        seen.append((e["status"], e["rows_done"], e["rows_total"]))
        if e["status"] in ("COMPLETED", "FAILED"):
            return e, seen
        assert time.monotonic() < deadline, f"export {export_id} not finished after {k_wait_s}s: {seen[-5:]}"
        time.sleep(0.05)


def download(world, store, url):
    """GET of a download URL as a browser would (no token); returns (status, bytes, headers)."""
    if store.kind == "file":
        parts = urlsplit(url)
        assert f"{parts.scheme}://{parts.netloc}" == store.server.base_url
        resp = world["anonymous"].get(parts.path + "?" + parts.query)
        return resp.status, resp.content, resp.headers
    raw = requests.get(url, timeout=30)
    return raw.status_code, raw.content, raw.headers


def export_bytes(world, store, client, body):
    export_id = request_export(client, body)
    e, seen = wait_done(client, export_id)
    assert e["status"] == "COMPLETED", e
    status, content, headers = download(world, store, e["download_url"])
    assert status == 200, f"download: {status} {content[:300]!r}"
    return e, seen, content, headers


def parse_csv(content):
    text = content.decode("utf-8-sig")  # a byte order mark, then UTF-8
    assert content.startswith(b"\xef\xbb\xbf")
    assert "\r\n" in text
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]


def test_a_sales_manager_exports_their_own_opportunities_as_csv(world, store):
    e, seen, content, headers = export_bytes(world, store, world["sm1"], {"format": "csv"})
    assert e["kind"] == "export" and e["dataset"] == "opportunities" and e["format"] == "csv"
    # Progress: counted when the worker started, and reached.
    assert e["rows_total"] == e["rows_done"] == len(world["sm1_opps"])
    assert all(s[0] in ("PENDING", "RUNNING", "COMPLETED") for s in seen)
    assert all(done <= (total if total is not None else done) for _, done, total in seen)
    assert headers["Content-Type"].startswith("text/csv")
    header, rows = parse_csv(content)
    assert header == k_csv_columns
    by_id = {r["id"]: r for r in rows}
    # Only their own, every one of them, nothing of sm2's.
    assert set(by_id) == set(world["sm1_opps"])
    for opp_id, opp in world["sm1_opps"].items():
        row = by_id[opp_id]
        assert row["sales_manager_id"] == world["sm1"].sub
        assert row["annual_recurring_revenue"] == opp["annual_recurring_revenue"]
        assert row["geographic_requirements.region"] == opp["geographic_requirements"]["region"]
        assert row["geographic_requirements.allows_remote_work"] == "true"
        assert row["version"] == str(opp["version"])
        assert row["submitted_at"] == ""  # null is an empty cell
        expected_title = opp["title"]
        if expected_title[0] in "=+-@\t\r":
            expected_title = "'" + expected_title  # a spreadsheet shows it, never evaluates it
        assert row["title"] == expected_title
    # Commas, quotes and line breaks survive the round trip (RFC 4180 quoting).
    plain = next(r for r in rows if r["title"].startswith("Plain"))
    assert plain["description"] == "Line one, with a comma\nline \"two\"\r\nand -1 @ the end"
    assert any(r["title"] == "Zürich – 東京 ✓" for r in rows)
    # No cell a spreadsheet would take for a formula.
    for r in rows:
        for value in r.values():
            assert not value or value[0] not in "=+-@\t\r", value


def test_filters_narrow_the_export_as_they_narrow_the_list(world, store):
    sm1 = world["sm1"]
    _, _, content, _ = export_bytes(world, store, sm1, {"format": "csv", "filters": {"priority": "LOW"}})
    _, rows = parse_csv(content)
    low = [o["id"] for o in world["sm1_opps"].values() if o["priority"] == "LOW"]
    assert [r["id"] for r in rows] == low
    listed = sm1.get("/api/v1/opportunities", params={"query": world["word"]}, expect=200).json["items"]
    e, _, content, _ = export_bytes(world, store, sm1, {"format": "json", "filters": {"query": world["word"]}})
    lines = content.decode("utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == [o["id"] for o in listed] and len(lines) == 1
    assert e["filters"] == {"query": world["word"]}
    # An SM naming another SM's id still gets only their own: nothing.
    e, _, content, _ = export_bytes(world, store, sm1, {
        "format": "csv", "filters": {"sales_manager_id": world["sm2"].sub, "status": ["DRAFT"]}})
    assert parse_csv(content)[1] == [] and e["rows_total"] == 0 and e["rows_done"] == 0


def test_an_admin_exports_everyones_opportunities_as_json_lines(world, store, openapi):
    e, _, content, headers = export_bytes(world, store, world["admin"],
                                          {"format": "json", "filters": {"customer_id": world["customer"]}})
    assert headers["Content-Type"].startswith("application/x-ndjson")
    lines = content.decode("utf-8").split("\n")
    assert lines[-1] == ""  # every line ends in \n
    items = [json.loads(line) for line in lines[:-1]]
    assert {i["id"] for i in items} == set(world["sm1_opps"]) | set(world["sm2_opps"])
    assert e["rows_total"] == e["rows_done"] == len(items)
    # The same shape as the list route's items, newest first as the list sorts by default.
    for item in items:
        openapi.validate_instance({"$ref": "#/components/schemas/OpportunitySummary"}, item, "export line")
    listed = world["admin"].get("/api/v1/opportunities", params={"customer_id": world["customer"], "limit": 100},
                                expect=200).json["items"]
    assert items == listed


def test_the_audit_log_is_exported_as_json_lines_by_an_admin_only(world, store, openapi):
    before = store.export_rows()
    resp = world["sm1"].post("/api/v1/exports", json={"format": "json", "dataset": "audit"})
    assert_problem(resp, 403, "FORBIDDEN")
    assert store.export_rows() == before
    wait_done(world["sm1"], request_export(world["sm1"], {"format": "json"}))  # an SM's request, audited
    e, _, content, _ = export_bytes(world, store, world["admin"], {"format": "json", "dataset": "audit"})
    entries = [json.loads(line) for line in content.decode("utf-8").splitlines()]
    assert [x["seq"] for x in entries] == list(range(1, len(entries) + 1))
    assert e["rows_total"] == e["rows_done"] == len(entries)
    for x in entries:
        openapi.validate_instance({"$ref": "#/components/schemas/AuditEntry"}, x, "audit line")
    # The chain links, and the export requests themselves are audited.
    assert all(b["prev_hash"] == a["hash"] for a, b in zip(entries, entries[1:]))
    requested = [x for x in entries if x["action"] == "export.request"]
    assert requested and all(x["entity_type"] == "export" for x in requested)
    assert any(x["actor_id"] == world["sm1"].sub for x in requested)


def test_someone_elses_export_is_not_found(world, store):
    export_id = request_export(world["sm1"], {"format": "csv"})
    wait_done(world["sm1"], export_id)
    for who in ("sm2", "admin"):
        assert_problem(world[who].get(f"/api/v1/exports/{export_id}"), 404, "NOT_FOUND")
    assert_problem(world["sm1"].get("/api/v1/exports/not-a-uuid"), 404, "NOT_FOUND")
    assert_problem(world["sm1"].get(f"/api/v1/exports/{rand.uuid4()}"), 404, "NOT_FOUND")
    assert_problem(world["sa"].post("/api/v1/exports", json={"format": "csv"}), 403, "FORBIDDEN")
    assert_problem(world["anonymous"].post("/api/v1/exports", json={"format": "csv"}), 401, "UNAUTHENTICATED")


k_bad_bodies = [
    ({}, "format"),
    ({"format": "xml"}, "format"),
    ({"format": None}, "format"),
    ({"format": "csv", "dataset": "users"}, "dataset"),
    ({"format": "csv", "dataset": "subject"}, "dataset"),
    ({"format": "csv", "extra": 1}, "extra"),
    ({"format": "csv", "filters": []}, "filters"),
    ({"format": "csv", "filters": {"status": "OPEN"}}, "filters.status"),
    ({"format": "csv", "filters": {"status": []}}, "filters.status"),
    ({"format": "csv", "filters": {"priority": "URGENT"}}, "filters.priority"),
    ({"format": "csv", "filters": {"customer_id": "nope"}}, "filters.customer_id"),
    ({"format": "csv", "filters": {"created_from": "yesterday"}}, "filters.created_from"),
    ({"format": "csv", "filters": {"created_from": "2026-02-01T00:00:00Z", "created_to": "2026-01-01T00:00:00Z"}},
     "filters.created_to"),
    ({"format": "csv", "filters": {"needs_attention": "yes"}}, "filters.needs_attention"),
    ({"format": "csv", "filters": {"query": ""}}, "filters.query"),
    ({"format": "csv", "filters": {"sort": "colour"}}, "filters.sort"),
    ({"format": "csv", "filters": {"limit": 10}}, "filters.limit"),
    ({"format": "csv", "dataset": "audit"}, "format"),
    ({"format": "json", "dataset": "audit", "filters": {"status": "DRAFT"}}, "filters.status"),
]


def test_bad_input_is_refused_precisely_and_records_nothing(world, store):
    admin = world["admin"]
    before_rows, before_keys = store.export_rows(), store.object_keys()
    for body, field in k_bad_bodies:
        assert_problem(admin.post("/api/v1/exports", json=body), 400, "VALIDATION_ERROR", field)
    assert_problem(admin.post("/api/v1/exports", data=b"{not json", headers={"Content-Type": "application/json"}),
                   400, "VALIDATION_ERROR", "body")
    assert_problem(admin.post("/api/v1/exports", data=b'{"format":"csv"}', headers={"Content-Type": "text/plain"}),
                   415, "UNSUPPORTED_MEDIA_TYPE")
    assert_problem(world["sm2"].post("/api/v1/exports", json={"format": "json", "dataset": "audit"}),
                   403, "FORBIDDEN")
    assert store.export_rows() == before_rows
    assert store.object_keys() == before_keys


def tampered(url):
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    name = "signature" if any(k == "signature" for k, _ in query) else "X-Amz-Signature"
    query = [(k, ("0" * len(v)) if k == name else v) for k, v in query]
    return urlunsplit(parts._replace(query=urlencode(query)))


def test_the_download_url_is_signed_and_the_object_is_where_the_export_says(world, store):
    e, _, content, _ = export_bytes(world, store, world["sm1"], {"format": "json"})
    assert f"{e['id']}/opportunities.jsonl" in store.object_keys()
    status, _, _ = download(world, store, tampered(e["download_url"]))
    assert status == 403
    # Every read signs a fresh URL of the same object.
    again = world["sm1"].get(f"/api/v1/exports/{e['id']}", expect=200).json
    status, fresh, headers = download(world, store, again["download_url"])
    assert fresh == content
    if store.kind == "file":  # served by oms: the header once, not "nosniff, nosniff"
        assert headers["X-Content-Type-Options"] == "nosniff"


def set_export_column(store, export_id, column, value):
    """Writes one timestamp column of an exports row in the database, as the retention job would."""
    db = store.server.db
    if db.store == "sqlite":
        with contextlib.closing(sqlite3.connect(db.sqlite_path)) as c:
            c.execute(f"UPDATE exports SET {column} = ? WHERE id = ?", (value, export_id))
            c.commit()
    else:
        db.psql(f"UPDATE exports SET {column} = '{value}' WHERE id = '{export_id}'")


def test_an_expired_or_purged_result_offers_no_download(world, store):
    e, _, _, _ = export_bytes(world, store, world["sm1"], {"format": "csv"})
    path = f"/api/v1/exports/{e['id']}"
    assert "download_url" in world["sm1"].get(path, expect=200).json  # the checks below can fail
    # Past its expiry, before the retention job ran: no link to a result about to go.
    set_export_column(store, e["id"], "expires_at", "2020-01-01T00:00:00.000000Z")
    gone = world["sm1"].get(path, expect=200).json
    assert gone["status"] == "COMPLETED" and "download_url" not in gone and "download_expires_at" not in gone
    # Purged (by retention or an erasure) while its expiry is still ahead: no link either.
    set_export_column(store, e["id"], "expires_at", "2099-01-01T00:00:00.000000Z")
    assert "download_url" in world["sm1"].get(path, expect=200).json
    set_export_column(store, e["id"], "purged_at", "2026-11-29T00:00:00.000000Z")
    assert "download_url" not in world["sm1"].get(path, expect=200).json


def clone_opportunity(srv, opp_id, copies):
    """`copies` more rows like `opp_id` (new ids, same owner), written with SQL: an export past one
    part needs thousands, which the API would take minutes to create."""
    db = srv.db
    if db.store == "sqlite":
        with contextlib.closing(sqlite3.connect(db.sqlite_path, timeout=30)) as c:
            cols = ", ".join(r[1] for r in c.execute("PRAGMA table_info(opportunities)") if r[1] != "id")
            new_id = ("lower(printf('%s-%s-4%s-8%s-%s', hex(randomblob(4)), hex(randomblob(2)), "
                      "substr(hex(randomblob(2)), 2), substr(hex(randomblob(2)), 2), hex(randomblob(6))))")
            c.execute(f"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
                      f"INSERT INTO opportunities (id, {cols}) SELECT {new_id}, {cols} FROM n, opportunities "
                      f"WHERE id = ?", (copies, opp_id))
            c.commit()
        # Written behind oms's back, the rows wait in the search queue (migration 0010) for oms's next
        # COMMIT, which would index them all inside some request (under ASan, past the pool's
        # deadline: a 503); indexed first, as an import would be.
        run_cli(srv.binary, ["search-index", *srv.common_args()])
        return
    cols = ", ".join(c for c in db.psql(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'opportunities' "
        "AND is_generated = 'NEVER' ORDER BY ordinal_position").split() if c != "id")
    db.psql(f"INSERT INTO opportunities (id, {cols}) SELECT gen_random_uuid(), {cols} "
            f"FROM generate_series(1, {copies}), opportunities WHERE id = '{opp_id}'")


def test_an_export_larger_than_a_part_is_streamed_in_parts(world, store, openapi):
    """Past one part (8 MiB, objects/s3_writer.hpp) the worker writes s3:// with a multipart upload
    (CreateMultipartUpload, an UploadPart per part, CompleteMultipartUpload), and file:// streams
    into one file; the download holds every row exactly once."""
    srv = store.server
    sub = str(rand.uuid4())
    sm = Api(srv.base_url, openapi, srv.token("SALES_MANAGER", sub, "bulk", f"bulk.{sub[:8]}@example.com"))
    sm.get("/api/v1/me", expect=200)
    first = create_opportunity(sm, create_customer(sm)["id"], description="d" * 2000)
    copies = 4500
    clone_opportunity(srv, first["id"], copies)
    e, _, content, _ = export_bytes(world, store, sm, {"format": "json"})
    assert e["rows_total"] == e["rows_done"] == copies + 1
    assert len(content) > 8 * 1024 * 1024, len(content)
    rows = [json.loads(line) for line in content.decode("utf-8").splitlines()]
    assert len(rows) == copies + 1 and len({r["id"] for r in rows}) == copies + 1
    assert first["id"] in {r["id"] for r in rows}
    assert all(r["sales_manager_id"] == sub and r["description"] == "d" * 2000 for r in rows)
    if store.kind == "s3":
        key = f"/{k_bucket}/{e['id']}/opportunities.jsonl"
        calls = [line for line in store.s3.request_log.read_text().splitlines() if key in line]
        assert [c for c in calls if c.startswith("POST") and "?uploads" in c], calls
        parts = [c for c in calls if c.startswith("PUT") and "partNumber=" in c]
        assert len(parts) == -(-len(content) // (8 * 1024 * 1024)), calls
        assert [c for c in calls if c.startswith("POST") and "uploadId=" in c], calls


def test_an_export_the_store_refuses_ends_failed_with_a_coarse_reason(world, store):
    """The store breaks under the worker (file://: its directory is gone, a file in its place;
    s3://: the bucket is gone): after its attempts the export is FAILED, says why in general
    terms, offers no download, and leaves no object behind."""
    if store.kind == "file":
        broken = store.server.data_dir / "objects" / "exports"
    else:
        broken = store.s3.directory / k_bucket
    aside = broken.with_name(broken.name + ".aside")
    broken.rename(aside)
    if store.kind == "file":
        broken.write_text("not a directory")
    try:
        export_id = request_export(world["sm1"], {"format": "csv"})
        e, seen = wait_done(world["sm1"], export_id)
    finally:
        if broken.is_file():
            broken.unlink()
        elif broken.is_dir():
            for p in sorted(broken.rglob("*"), reverse=True):
                p.unlink() if p.is_file() else p.rmdir()
            broken.rmdir()
        aside.rename(broken)
    assert e["status"] == "FAILED", e
    assert e["error"] == "The export could not be written to the exports store."
    assert "download_url" not in e and e["completed_at"] is not None
    assert not any(k.startswith(export_id) for k in store.object_keys())
    # The store is back: the next export completes.
    export_bytes(world, store, world["sm1"], {"format": "csv"})


def test_the_download_url_expires(store, oms_binary, tmp_path_factory, pytestconfig, openapi):
    """A server whose download URLs last one second: once it passed, the URL is refused."""
    data_dir = tmp_path_factory.mktemp(f"exports-ttl-{store.kind}")
    with exports_server(store.kind, oms_binary, pytestconfig.getoption("--store"), data_dir,
                        extra=["--exports-url-ttl-seconds", "1"]) as short:
        w = callers(short.server, openapi)
        create_opportunity(w["sm1"], create_customer(w["sm1"])["id"])
        export_id = request_export(w["sm1"], {"format": "csv"})
        e, _ = wait_done(w["sm1"], export_id)
        assert e["status"] == "COMPLETED"
        fresh = w["sm1"].get(f"/api/v1/exports/{export_id}", expect=200).json
        expires = fresh["download_expires_at"]
        time.sleep(2.5)  # past the URL's expiry (whole seconds)
        status, _, _ = download(w, short, fresh["download_url"])
        assert status == 403, f"an expired URL ({expires}) was accepted"
