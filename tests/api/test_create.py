"""Creating customers and opportunities (US: create)."""

from support.client import assert_problem
from support.factory import (create_opportunity, customer_body, opp_path, opportunity_body, unique)
from support import rand


def test_create_customer_returns_201_with_location(api):
    resp = api("sm1").post("/api/v1/customers", json=customer_body(), expect=201)
    assert resp.json["is_active"] is True
    assert resp.headers["Location"].endswith(f"/api/v1/customers/{resp.json['id']}")
    got = api("sm1").get(f"/api/v1/customers/{resp.json['id']}", expect=200).json
    assert got["name"] == resp.json["name"] and got["primary_contact"]["email"] == "pat@example.com"


def test_create_opportunity_returns_draft_with_location_and_etag(api, callers, env):
    body = opportunity_body(env.customer_id, annual_recurring_revenue="125000.5")
    resp = api("sm1").post("/api/v1/opportunities", json=body, expect=201)
    opp = resp.json
    assert resp.headers["Location"].endswith(f"/api/v1/opportunities/{opp['id']}")
    assert resp.headers["ETag"] == f'"{opp["version"]}"'
    assert opp["status"] == "DRAFT"
    assert opp["sales_manager_id"] == callers["sm1"].sub
    assert opp["annual_recurring_revenue"] == "125000.50"
    assert opp["currency"] == "USD"
    assert opp["problem_statement"] is None and opp["timeline"] is None
    assert opp["skill_requirements"] == [] and opp["attachments"] == []
    assert opp["submitted_at"] is None and opp["status_before_cancellation"] is None
    got = api("sm1").get(opp_path(opp["id"]), expect=200)
    assert got.headers["ETag"] == f'"{opp["version"]}"'
    assert got.json["title"] == body["title"]


def test_currency_defaults_to_usd(api, env):
    body = opportunity_body(env.customer_id)
    del body["currency"]
    assert api("sm1").post("/api/v1/opportunities", json=body, expect=201).json["currency"] == "USD"


def test_title_counts_code_points_200_emoji_accepted(api, env):
    title = "\U0001F680" * 200
    opp = create_opportunity(api("sm1"), env.customer_id, title=title)
    assert opp["title"] == title
    assert api("sm1").get(opp_path(opp["id"]), expect=200).json["title"] == title


def test_idempotency_key_replays_same_body_and_rejects_another(api, env):
    sm1 = api("sm1")
    key = unique("idem")
    body = opportunity_body(env.customer_id)
    first = sm1.post("/api/v1/opportunities", json=body, headers={"Idempotency-Key": key}, expect=201)
    again = sm1.post("/api/v1/opportunities", json=body, headers={"Idempotency-Key": key})
    assert again.status in (200, 201), again.describe()
    assert again.json["id"] == first.json["id"]
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert first.headers.get("Idempotent-Replayed") in (None, "false")
    other = sm1.post("/api/v1/opportunities", json={**body, "title": "Another"}, headers={"Idempotency-Key": key})
    assert_problem(other, 409, "CONFLICT")
    listed = sm1.get("/api/v1/opportunities", params={"query": body["title"].split("-")[1], "limit": 100},
                     expect=200).json["items"]
    assert [o["id"] for o in listed] == [first.json["id"]]


def test_opportunity_for_unknown_customer_is_refused(api):
    resp = api("sm1").post("/api/v1/opportunities", json=opportunity_body(str(rand.uuid4())))
    assert resp.status in (400, 404, 422), resp.describe()
    assert resp.code in ("VALIDATION_ERROR", "NOT_FOUND"), resp.describe()


def test_sales_manager_adds_the_customer_while_creating_the_opportunity(api):
    """A new customer comes inline as `customer` and is created in the same transaction."""
    sm1, admin = api("sm1"), api("admin")
    customer = customer_body()
    body = opportunity_body(None, customer=customer)
    del body["customer_id"]
    opp = sm1.post("/api/v1/opportunities", json=body, expect=201).json
    created = sm1.get(f"/api/v1/customers/{opp['customer_id']}", expect=200).json
    assert created["name"] == customer["name"] and created["is_active"] is True
    assert created["primary_contact"] == customer["primary_contact"]
    for entity_id, action in ((created["id"], "customer.create"), (opp["id"], "opportunity.create")):
        entries = admin.get("/api/v1/admin/audit", params={"entity_id": entity_id}, expect=200).json["items"]
        assert [e["action"] for e in entries] == [action]
    assert admin.get("/api/v1/admin/audit/verify", expect=200).json["valid"] is True


def test_inline_customer_problems_are_named_under_customer_and_nothing_is_written(api, env):
    sm1 = api("sm1")
    name = unique("Inline")
    bad = opportunity_body(None, customer=customer_body(name=name, website="ftp://nope", surprise=1), title="")
    del bad["customer_id"]
    resp = sm1.post("/api/v1/opportunities", json=bad)
    assert_problem(resp, 400, "VALIDATION_ERROR", "customer.website")
    assert {"customer.surprise", "title"} <= set(resp.error_fields), resp.describe()
    found = sm1.get("/api/v1/customers", params={"query": name}, expect=200).json["items"]
    assert found == []


def test_customer_id_and_customer_together_are_refused(api, env):
    body = opportunity_body(env.customer_id, customer=customer_body())
    assert_problem(api("sm1").post("/api/v1/opportunities", json=body), 400, "VALIDATION_ERROR", "customer")
    neither = opportunity_body(env.customer_id)
    del neither["customer_id"]
    assert_problem(api("sm1").post("/api/v1/opportunities", json=neither), 400, "VALIDATION_ERROR", "customer_id")


def test_inline_customer_with_a_taken_name_creates_nothing(api, env):
    sm1 = api("sm1")
    taken = sm1.post("/api/v1/customers", json=customer_body(), expect=201).json["name"]
    title = unique("Orphan")
    body = opportunity_body(None, customer=customer_body(name=taken.upper()), title=title)
    del body["customer_id"]
    assert_problem(sm1.post("/api/v1/opportunities", json=body), 409, "DUPLICATE", "customer.name")
    listed = sm1.get("/api/v1/opportunities", params={"query": title.split("-")[1]}, expect=200).json["items"]
    assert listed == []
