"""The audit log is tamper-evident over HTTP: GET /api/v1/admin/audit/verify reports a valid chain,
then names the first entry whose stored content no longer matches its hash after a raw UPDATE.
A server of its own, so the tampering cannot disturb the other tests."""
import sqlite3

import pytest

from support.client import Api
from support.server import own_server
from support import rand


@pytest.fixture(scope="module")
def tamper_server(oms_binary, store, tmp_path_factory):
    with own_server(oms_binary, store, tmp_path_factory.mktemp("oms-audit")) as srv:
        yield srv
    assert srv.exit_code == 0, f"exit code {srv.exit_code} on SIGTERM:\n{srv.log_tail()}"


def _raw_update(db, sql):
    if db.store == "sqlite":
        conn = sqlite3.connect(db.sqlite_path, timeout=30)
        try:
            conn.execute(sql)
            conn.commit()
        finally:
            conn.close()
    else:
        db.psql(sql)


def test_verify_detects_a_tampered_row(tamper_server, openapi):
    admin = Api(tamper_server.base_url, openapi,
                tamper_server.token("ADMIN", str(rand.uuid4()), "Audit Admin", "audit@example.com"))
    for i in range(3):
        created = admin.post("/api/v1/customers", json={"name": f"Tamper Test {i}", "industry": "Retail"})
        assert created.status == 201, created.describe()

    page = admin.get("/api/v1/admin/audit", params={"limit": 100})
    assert page.status == 200, page.describe()
    entries = page.json["items"]
    assert len(entries) >= 4, entries  # the admin's first sighting and three customers
    clean = admin.get("/api/v1/admin/audit/verify")
    assert clean.status == 200, clean.describe()
    assert clean.json["valid"] is True and clean.json["first_broken_seq"] is None, clean.json
    assert clean.json["entries_checked"] == len(entries), clean.json

    victim = sorted(e["seq"] for e in entries)[2]
    _raw_update(tamper_server.db, f"UPDATE audit_log SET action = 'customer.delete' WHERE seq = {victim}")

    tampered = admin.get("/api/v1/admin/audit/verify")
    assert tampered.status == 200, tampered.describe()
    assert tampered.json["valid"] is False, tampered.json
    assert tampered.json["first_broken_seq"] == victim, tampered.json
    assert tampered.json["problem"], tampered.json
