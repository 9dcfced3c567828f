"""Data-subject requests (issue 11 item 5) and audited admin reads of personal data (item 6).

Access: one JSON document with everything held on the person, written by the worker to the
exports store. Erasure: the person's PII gone from every table (read back from the database
itself), readers show "[erased]", the audit chain still verifies, a second erasure is harmless."""
import json
import sqlite3
import time

import requests

from support.client import Api, assert_problem
from support.factory import create_opportunity, customer_body, opportunity_body
from support import rand

k_wait_seconds = 60  # bound of every poll below (the worker runs in-process)


def fresh_person(server, openapi, role="SALES_MANAGER"):
    """A new user recorded by one request, with a name and address no other test uses."""
    sub = str(rand.uuid4())
    tag = sub[:8]
    name, email = f"Erin Subject {tag}", f"erin.{tag}@example.org"
    api = Api(server.base_url, openapi, server.token(role, sub, name, email))
    api.get("/api/v1/me", expect=200)
    return sub, name, email, api


def holdings(server, sm):
    """What a sales manager leaves behind: a customer whose primary contact is themselves, and an
    opportunity of theirs with a status record."""
    me = sm.get("/api/v1/me", expect=200).json
    contact = {"name": me["name"], "email": me["email"].upper(), "phone": "+44 20 7946 0000"}
    customer = sm.post("/api/v1/customers", json=customer_body(primary_contact=contact), expect=201).json
    opp = create_opportunity(sm, customer["id"])
    return customer, opp


def export_status(server, admin, export_id):
    # GET /api/v1/exports/{id} belongs to the exports flow (its contract is documented there).
    resp = requests.get(f"{server.base_url}/api/v1/exports/{export_id}",
                        headers={"Authorization": f"Bearer {admin.token}"}, timeout=30)
    assert resp.status_code == 200, resp.text
    return resp.json()


def wait_finished(server, admin, export_id):
    deadline = time.monotonic() + k_wait_seconds
    while time.monotonic() < deadline:
        e = export_status(server, admin, export_id)
        if e["status"] in ("COMPLETED", "FAILED"):
            return e
        time.sleep(0.2)
    raise AssertionError(f"request {export_id} not finished after {k_wait_seconds} s: {e}")


def request(admin, user_id, what):
    out = admin.post(f"/api/v1/admin/data-subjects/{user_id}/{what}", expect=202).json
    assert out["status"] == "PENDING"
    return out["id"]


def download(server, admin, export_id):
    e = wait_finished(server, admin, export_id)
    assert e["status"] == "COMPLETED", e
    assert e["kind"] in ("data_subject_access", "data_subject_erasure")
    url = e["download_url"]
    if url.startswith("/"):
        url = server.base_url + url
    resp = requests.get(url, timeout=30)
    assert resp.status_code == 200, resp.text
    return json.loads(resp.content)


def audit_entries(admin, **params):
    out, cursor = [], None
    while True:
        page = admin.get("/api/v1/admin/audit",
                         params={"limit": 100, **params, **({"cursor": cursor} if cursor else {})},
                         expect=200).json
        out += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return out


def database_text(server):
    """Every row of every table as text, read from the database itself."""
    db = server.db
    if db.store == "sqlite":
        con = sqlite3.connect(db.sqlite_path)
        try:
            return "\n".join(con.iterdump())
        finally:
            con.close()
    tables = db.psql("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").split()
    return "\n".join(db.psql(f"SELECT t::text FROM {t} t") for t in tables)


def test_access_document_has_everything(server, openapi, api):
    admin = api("admin")
    sub, name, email, sm = fresh_person(server, openapi)
    customer, opp = holdings(server, sm)
    doc = download(server, admin, request(admin, sub, "export"))
    assert doc["kind"] == "data_subject_access" and doc["subject_user_id"] == sub
    assert (doc["user"]["id"], doc["user"]["name"], doc["user"]["email"]) == (sub, name, email)
    assert [o["id"] for o in doc["opportunities"]] == [opp["id"]]
    assert doc["opportunities"][0]["title"] == opp["title"]
    assert any(r["opportunity_id"] == opp["id"] and r["to_status"] == "DRAFT" for r in doc["status_records"])
    assert [c["id"] for c in doc["customer_contacts"]] == [customer["id"]]
    assert doc["customer_contacts"][0]["primary_contact"]["name"] == name
    assert [c["id"] for c in doc["customers_created"]] == [customer["id"]]
    actions = [e["action"] for e in doc["audit_entries"]]
    assert {"user.create", "customer.create", "opportunity.create"} <= set(actions)
    created = next(e for e in doc["audit_entries"] if e["action"] == "user.create")
    assert (created["after"]["name"], created["after"]["email"]) == (name, email)  # sealed, opened for the reader
    # The request itself is audited, under the admin's request id.
    assert any(e["action"] == "data_subject.access_request" for e in audit_entries(admin, entity_id=sub))


def test_erasure_removes_pii_everywhere_and_the_chain_verifies(server, openapi, api, callers):
    admin = api("admin")
    sub, name, email, sm = fresh_person(server, openapi)
    customer, opp = holdings(server, sm)
    earlier = request(admin, sub, "export")
    wait_finished(server, admin, earlier)
    earlier_url = export_status(server, admin, earlier)["download_url"]
    assert name in database_text(server)  # the check below can fail

    receipt = download(server, admin, request(admin, sub, "erase"))
    assert receipt["kind"] == "data_subject_erasure" and receipt["user_found"] is True
    assert receipt["customers_without_contact"] == [customer["id"]] and receipt["keys_destroyed"] >= 2

    text = database_text(server)
    for pii in (name, email, email.upper()):
        assert pii not in text, f"{pii!r} is still in the database"
    users = audit_entries(admin, entity_type="user", entity_id=sub)
    assert users and all(e["after"] is None or e["after"]["name"] == "[erased]" for e in users)
    assert any(e["action"] == "user.create" and e["after"]["email"] == "[erased]" for e in users)
    contact_entries = audit_entries(admin, entity_type="customer", entity_id=customer["id"])
    created = next(e for e in contact_entries if e["action"] == "customer.create")
    assert created["after"]["primary_contact"] == {"name": "[erased]", "email": "[erased]", "phone": "[erased]"}
    assert admin.get(f"/api/v1/customers/{customer['id']}", expect=200).json["primary_contact"] is None
    # The business records stay, owned by the same (pseudonymous) id.
    kept = admin.get(f"/api/v1/opportunities/{opp['id']}", expect=200).json
    assert kept["sales_manager_id"] == sub and kept["title"] == opp["title"]
    # The user record is pseudonymised and deactivated: the old token no longer works.
    record = next(u for u in all_users(admin) if u["id"] == sub)
    assert (record["name"], record["email"], record["is_active"]) == ("[erased]", "", False)
    assert_problem(sm.get("/api/v1/me"), 403, "FORBIDDEN")
    # The earlier access document was deleted from the exports store with the rest, and its
    # request offers no link any more.
    assert "download_url" not in export_status(server, admin, earlier)
    gone = server.base_url + earlier_url if earlier_url.startswith("/") else earlier_url
    assert requests.get(gone, timeout=30).status_code == 404
    verify = admin.get("/api/v1/admin/audit/verify", expect=200).json
    assert verify["valid"] is True, verify

    # A second erasure is harmless: it finds nothing left and the chain still verifies.
    again = download(server, admin, request(admin, sub, "erase"))
    assert again["user_found"] is True and again["customers_without_contact"] == []
    assert admin.get("/api/v1/admin/audit/verify", expect=200).json["valid"] is True
    erasures = [e for e in audit_entries(admin, entity_type="data_subject", entity_id=sub)
                if e["action"] == "data_subject.erase"]
    assert len(erasures) == 2 and all(e["actor_id"] == callers["admin"].sub for e in erasures)


def all_users(admin):
    out, cursor = [], None
    while True:
        page = admin.get("/api/v1/users", params={"limit": 100, **({"cursor": cursor} if cursor else {})},
                         expect=200).json
        out += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            return out


def test_only_admins_and_only_known_users(api, callers):
    sm1 = api("sm1")
    for what in ("export", "erase"):
        assert_problem(sm1.post(f"/api/v1/admin/data-subjects/{callers['sm2'].sub}/{what}"), 403, "FORBIDDEN")
        assert_problem(api("sa").post(f"/api/v1/admin/data-subjects/{callers['sm2'].sub}/{what}"), 403, "FORBIDDEN")
        assert_problem(api(None).post(f"/api/v1/admin/data-subjects/{callers['sm2'].sub}/{what}"), 401,
                       "UNAUTHENTICATED")
        assert_problem(api("admin").post(f"/api/v1/admin/data-subjects/{rand.uuid4()}/{what}"), 404, "NOT_FOUND")
        assert_problem(api("admin").post(f"/api/v1/admin/data-subjects/{'x' * 256}/{what}"), 400,
                       "VALIDATION_ERROR", "user_id")


def reads_in(entry):
    """What a read entry records: (request id, ids shown) for each read it summarises."""
    ids = entry["after"]["ids"]
    return [(r["request_id"], [ids[i] for i in r["shown"]]) for r in entry["after"]["reads"]]


def wait_for_read(admin, action, entity_type, entity_id, actor_id, request_id):
    """The read entries by actor_id holding request_id's read of entity_id, once flushed."""
    deadline = time.monotonic() + k_wait_seconds
    while time.monotonic() < deadline:
        found = [e for e in audit_entries(admin, entity_type=entity_type, entity_id=entity_id)
                 if e["action"] == action and e["actor_id"] == actor_id
                 and any(r == request_id and entity_id in shown for r, shown in reads_in(e))]
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError(f"no {action} of {entity_id} by {actor_id} in request {request_id} after {k_wait_seconds} s")


def assert_read_entry_shape(entry):
    # One admin's reads of one entity type in one batch; the entry names the entity and the
    # request itself when there is only one.
    reads = reads_in(entry)
    assert entry["before"] is None and len(reads) >= 1
    assert entry["request_id"] == (reads[0][0] if len(reads) == 1 else "")
    assert entry["entity_id"] == (entry["after"]["ids"][0] if len(entry["after"]["ids"]) == 1 else "")


def test_admin_reads_of_personal_data_are_audited(api, callers, env):
    admin, sm1 = api("admin"), api("sm1")
    admin_id = callers["admin"].sub
    listing = admin.get("/api/v1/users", params={"limit": 100})
    assert listing.status == 200
    shown = [u["id"] for u in listing.json["items"]]
    listing_id = listing.headers["X-Request-Id"]
    # A list read names every user shown, in page order; the query by entity_id finds it for
    # each of them.
    for someone in (shown[0], shown[-1]):
        entries = wait_for_read(admin, "user.read", "user", someone, admin_id, listing_id)
        assert len(entries) == 1
        assert [ids for r, ids in reads_in(entries[0]) if r == listing_id] == [shown]
        assert_read_entry_shape(entries[0])
    customer = sm1.post("/api/v1/customers", json=customer_body(), expect=201).json
    read = admin.get(f"/api/v1/customers/{customer['id']}", expect=200)
    entries = wait_for_read(admin, "customer.read", "customer", customer["id"], admin_id, read.headers["X-Request-Id"])
    assert_read_entry_shape(entries[0])
    opp = sm1.post("/api/v1/opportunities", json=opportunity_body(env.customer_id), expect=201).json
    # The owner reading their own opportunity is not an admin read of someone else's data; it
    # comes first, so it would be in the same or an earlier batch than the admin's read.
    sm1.get(f"/api/v1/opportunities/{opp['id']}", expect=200)
    read = admin.get(f"/api/v1/opportunities/{opp['id']}", expect=200)
    entries = wait_for_read(admin, "opportunity.read", "opportunity", opp["id"], admin_id,
                            read.headers["X-Request-Id"])
    assert_read_entry_shape(entries[0])
    reads = [e for e in audit_entries(admin, entity_type="opportunity", entity_id=opp["id"])
             if e["action"] == "opportunity.read"]
    assert [e["actor_id"] for e in reads] == [admin_id]
    assert [r for e in reads for r, _ in reads_in(e)] == [read.headers["X-Request-Id"]]
    assert admin.get("/api/v1/admin/audit/verify", expect=200).json["valid"] is True
