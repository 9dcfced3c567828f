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
