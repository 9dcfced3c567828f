"""Customers: unique names, search, and edits (deactivation, reactivation) with If-Match."""
import json
import sqlite3

import pytest

from support.client import assert_problem
from support.factory import (create_customer, create_opportunity, customer_body, opportunity_body, unique)
from support import rand


def test_duplicate_customer_name_case_insensitive(api):
    customer = create_customer(api("sm1"))
    resp = api("admin").post("/api/v1/customers", json=customer_body(name=customer["name"].swapcase()))
    assert_problem(resp, 409, "DUPLICATE")


def test_customer_list_query_on_name(api):
    marker = rand.uuid4().hex[:8]
    c = create_customer(api("sm1"), name=f"Initech {marker}")
    items = api("sm2").get("/api/v1/customers", params={"query": f"initech {marker}"}, expect=200).json["items"]
    assert [x["id"] for x in items] == [c["id"]]


# --- PATCH /customers/{id}: edit, deactivate, reactivate (issue 13) -------------------------------

def customer_outbox(server, customer_id):
    """The outbox rows of one customer: [(event_type, payload dict)] in version order."""
    sql = ("SELECT event_type, payload FROM outbox_events WHERE aggregate_id = '" + customer_id +
           "' ORDER BY version")
    if server.db.store == "sqlite":
        con = sqlite3.connect(f"file:{server.db.sqlite_path}?mode=ro", uri=True, timeout=10)
        try:
            return [(r[0], json.loads(r[1])) for r in con.execute(sql).fetchall()]
        finally:
            con.close()
    out = server.db.psql("SELECT json_agg(t) FROM (" + sql + ") t")
    return [(r["event_type"], r["payload"] if isinstance(r["payload"], dict) else json.loads(r["payload"]))
            for r in (json.loads(out.strip() or "[]") or [])]


def test_get_and_create_carry_the_version_as_etag(api):
    sm1 = api("sm1")
    created = sm1.post("/api/v1/customers", json=customer_body(), expect=201)
    assert created.json["version"] == 1 and created.headers["ETag"] == '"1"'
    got = api("sm2").get(f"/api/v1/customers/{created.json['id']}", expect=200)
    assert got.headers["ETag"] == '"1"' and got.json == created.json


def test_creator_edits_fields_with_if_match_and_the_change_is_audited_and_published(api, server):
    sm1, admin = api("sm1"), api("admin")
    c = create_customer(sm1)
    path = f"/api/v1/customers/{c['id']}"
    new_name = unique("Renamed")
    resp = sm1.patch(path, json={"name": new_name, "website": None,
                                 "primary_contact": {"name": "Lee New", "email": "lee@example.com", "phone": ""}},
                     headers={"If-Match": '"1"'}, expect=200)
    after = resp.json
    assert resp.headers["ETag"] == '"2"' and after["version"] == 2
    assert after["name"] == new_name and after["website"] is None and after["industry"] == c["industry"]
    assert after["primary_contact"] == {"name": "Lee New", "email": "lee@example.com", "phone": ""}
    assert after["updated_at"] >= c["updated_at"] and after["created_at"] == c["created_at"]
    assert sm1.get(path, expect=200).json == after
    # A body that changes nothing keeps the version.
    same = sm1.patch(path, json={"name": new_name}, headers={"If-Match": '"2"'}, expect=200)
    assert same.json["version"] == 2 and same.headers["ETag"] == '"2"'
    entries = admin.get("/api/v1/admin/audit", params={"entity_id": c["id"], "limit": 100}, expect=200).json["items"]
    update = [e for e in entries if e["action"] == "customer.update"]
    assert len(update) == 1
    assert update[0]["before"]["name"] == c["name"]
    assert update[0]["after"]["name"] == new_name
    events = customer_outbox(server, c["id"])
    assert [t for t, _ in events] == ["customer.updated"]
    payload = events[0][1]
    assert payload["customer_id"] == c["id"] and payload["version"] == 2 and "opportunity_id" not in payload
    assert payload["fields"] == ["name", "website", "primary_contact"]
    assert payload["customer"]["name"] == new_name


def test_deactivated_customer_cannot_be_chosen_then_reactivated_can(api, server):
    sm1 = api("sm1")
    c = create_customer(sm1)
    path = f"/api/v1/customers/{c['id']}"
    opp = create_opportunity(sm1, c["id"])  # referenced by sm1's own opportunity: sm1 may still change it
    off = sm1.patch(path, json={"is_active": False}, expect=200).json
    assert off["is_active"] is False and off["version"] == 2
    # Never deleted: the opportunity still reads with it.
    assert sm1.get(f"/api/v1/opportunities/{opp['id']}", expect=200).json["customer_id"] == c["id"]
    assert_problem(sm1.post("/api/v1/opportunities", json=opportunity_body(c["id"])), 400, "VALIDATION_ERROR",
                   "customer_id")
    other = create_opportunity(sm1, create_customer(sm1)["id"])
    assert_problem(sm1.patch(f"/api/v1/opportunities/{other['id']}", json={"customer_id": c["id"]}), 400,
                   "VALIDATION_ERROR", "customer_id")
    # Still listed and readable (history refers to it).
    assert sm1.get(path, expect=200).json["is_active"] is False
    on = sm1.patch(path, json={"is_active": True}, headers={"If-Match": '"2"'}, expect=200).json
    assert on["is_active"] is True and on["version"] == 3
    create_opportunity(sm1, c["id"])
    assert [t for t, _ in customer_outbox(server, c["id"])] == ["customer.deactivated", "customer.updated"]


def test_stale_if_match_is_412_and_malformed_if_match_is_412(api):
    sm1 = api("sm1")
    c = create_customer(sm1)
    path = f"/api/v1/customers/{c['id']}"
    sm1.patch(path, json={"industry": "Retail"}, headers={"If-Match": '"1"'}, expect=200)
    assert_problem(sm1.patch(path, json={"industry": "Energy"}, headers={"If-Match": '"1"'}), 412,
                   "PRECONDITION_FAILED")
    assert_problem(sm1.patch(path, json={"industry": "Energy"}, headers={"If-Match": "v2"}), 412,
                   "PRECONDITION_FAILED")
    assert sm1.get(path, expect=200).json["industry"] == "Retail"
    # Absent or * is no precondition (as on the opportunity routes).
    assert sm1.patch(path, json={"industry": "Energy"}, headers={"If-Match": "*"}, expect=200).json["version"] == 3


def test_who_may_change_a_customer(api):
    sm1, sm2, admin = api("sm1"), api("sm2"), api("admin")
    c = create_customer(sm1)
    path = f"/api/v1/customers/{c['id']}"
    # Another SM can see it (customers are shared), so refusing is 403, not 404.
    assert_problem(sm2.patch(path, json={"industry": "Retail"}), 403, "FORBIDDEN")
    assert_problem(api("sa").patch(path, json={"industry": "Retail"}), 403, "FORBIDDEN")
    assert_problem(api("service").patch(path, json={"industry": "Retail"}), 403, "FORBIDDEN")
    assert_problem(api(None).patch(path, json={"industry": "Retail"}), 401, "UNAUTHENTICATED")
    # Once another SM's opportunity uses it, only an admin may change it.
    create_opportunity(sm2, c["id"])
    assert_problem(sm1.patch(path, json={"industry": "Retail"}), 403, "FORBIDDEN")
    assert admin.patch(path, json={"industry": "Retail"}, expect=200).json["industry"] == "Retail"
    assert admin.patch(path, json={"is_active": False}, expect=200).json["is_active"] is False
    assert_problem(sm1.patch(f"/api/v1/customers/{rand.uuid4()}", json={"industry": "Retail"}), 404, "NOT_FOUND")
    assert_problem(sm1.patch("/api/v1/customers/not-a-uuid", json={"industry": "Retail"}), 400,
                   "VALIDATION_ERROR", "id")


@pytest.mark.parametrize("body, field", [
    ({}, "body"),
    ({"name": ""}, "name"),
    ({"name": "   "}, "name"),
    ({"name": 5}, "name"),
    ({"industry": None}, "industry"),
    ({"website": "ftp://example.com"}, "website"),
    ({"is_active": "no"}, "is_active"),
    ({"primary_contact": {"name": "X"}}, "primary_contact.email"),
    ({"primary_contact": "someone"}, "primary_contact"),
    ({"unknown": 1}, "unknown"),
])
def test_bad_patch_bodies_name_the_field(api, body, field):
    sm1 = api("sm1")
    c = create_customer(sm1)
    assert_problem(sm1.patch(f"/api/v1/customers/{c['id']}", json=body), 400, "VALIDATION_ERROR", field)
    assert sm1.get(f"/api/v1/customers/{c['id']}", expect=200).json["version"] == 1


def test_rename_to_a_taken_name_is_409(api):
    sm1 = api("sm1")
    taken = create_customer(sm1)
    c = create_customer(sm1)
    resp = sm1.patch(f"/api/v1/customers/{c['id']}", json={"name": taken["name"].upper()})
    assert_problem(resp, 409, "DUPLICATE", "name")
    # Renaming to its own name in another case is allowed.
    same = sm1.patch(f"/api/v1/customers/{c['id']}", json={"name": c["name"].upper()}, expect=200).json
    assert same["name"] == c["name"].upper()


def test_a_creator_edit_racing_another_sms_opportunity_waits_and_is_refused(api, server, store):
    """The rule "while no other SM's opportunity uses it" holds under concurrency: an opportunity
    being inserted for the customer (not yet committed) makes the creator's PATCH wait for it and
    then refuse, instead of reading past it."""
    if store != "postgres":
        pytest.skip("SQLite has one writer: the check and the update are one write, nothing can race")
    import subprocess
    import threading
    sm1, sm2 = api("sm1"), api("sm2")
    c = create_customer(sm1)
    template = create_opportunity(sm2, create_customer(sm2)["id"])["id"]
    # Another SM's opportunity for the customer, inserted in a transaction left open.
    holder = subprocess.Popen(["psql", server.db.url, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1"],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        holder.stdin.write(
            "BEGIN;\n"
            f"CREATE TEMP TABLE racing AS SELECT * FROM opportunities WHERE id = '{template}';\n"
            f"UPDATE racing SET id = '{rand.uuid4()}', customer_id = '{c['id']}';\n"
            # Every column but the generated ones (the search column).
            "DO $$ DECLARE cols text; BEGIN "
            "SELECT string_agg(quote_ident(column_name), ',') INTO cols FROM information_schema.columns "
            "WHERE table_name = 'opportunities' AND table_schema = current_schema() AND is_generated = 'NEVER'; "
            "EXECUTE format('INSERT INTO opportunities (%1$s) SELECT %1$s FROM racing', cols); END $$;\n"
            "SELECT 'inserted';\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "inserted"
        answer = {}
        patch = threading.Thread(target=lambda: answer.update(
            resp=sm1.patch(f"/api/v1/customers/{c['id']}", json={"industry": "Retail"})))
        patch.start()
        patch.join(timeout=1.0)  # it waits for the open transaction (an early answer would be a 200)
        holder.stdin.write("COMMIT;\n")
        holder.stdin.close()
        assert holder.wait(timeout=30) == 0, holder.stderr.read()
        patch.join(timeout=30)
        assert_problem(answer["resp"], 403, "FORBIDDEN")
    finally:
        if holder.poll() is None:
            holder.kill()
