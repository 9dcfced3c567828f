"""Users: the caller's record, the admin list and deactivation."""

from support.client import assert_problem
from support.factory import (customer_body)
from support import rand


def test_me_returns_the_callers_record(api, callers):
    for key in ("sm1", "admin", "sa", "service"):
        me = api(key).get("/api/v1/me", expect=200).json
        c = callers[key]
        assert (me["id"], me["role"], me["name"], me["email"], me["is_active"]) == (
            c.sub, c.role, c.name, c.email, True)


def test_users_list_and_deactivation(api, callers):
    admin, sm3 = api("admin"), api("sm3")
    users, cursor = [], None
    while True:
        page = admin.get("/api/v1/users", params={"limit": 100, **({"cursor": cursor} if cursor else {})},
                         expect=200).json
        users += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    ids = {u["id"] for u in users}
    assert {c.sub for c in callers.values()} <= ids
    sub = callers["sm3"].sub
    out = admin.patch(f"/api/v1/users/{sub}", json={"is_active": False}, expect=200).json
    assert out["id"] == sub and out["is_active"] is False
    for method, path in (("GET", "/api/v1/me"), ("GET", "/api/v1/opportunities"), ("GET", "/api/v1/skills")):
        assert_problem(sm3.request(method, path), 403, "FORBIDDEN")
    resp = sm3.post("/api/v1/customers", json=customer_body())
    assert_problem(resp, 403, "FORBIDDEN")
    admin.patch(f"/api/v1/users/{sub}", json={"is_active": True}, expect=200)
    assert sm3.get("/api/v1/me", expect=200).json["is_active"] is True
    assert_problem(admin.patch(f"/api/v1/users/{rand.uuid4()}", json={"is_active": False}), 404, "NOT_FOUND")
