"""Malformed requests (support/bad_cases.py): each gets its documented error, the server stays up
after every one, and the database is exactly as it was before the batch."""
import json

import pytest
import requests

from support.bad_cases import REMOVE as NO_BODY
from support.bad_cases import all_cases, substitute
from support.client import Api, assert_problem
from support.factory import Builder, add_requirement, create_customer, create_skill
from support.snapshot import snapshot

k_cases = all_cases()
assert len(k_cases) >= 200


@pytest.fixture(scope="module")
def targets(api, callers):
    sm1, admin, service = api("sm1"), api("admin"), api("service")
    customer = create_customer(sm1)
    skill = create_skill(admin)
    other_skill = create_skill(admin)
    builder = Builder(sm1, service, customer["id"], other_skill["id"])
    draft = builder.draft()
    req = add_requirement(sm1, draft["id"], other_skill["id"])
    matches_found = builder.in_status("MATCHES_FOUND")
    return {"customer": customer["id"], "skill": skill["id"], "draft": draft["id"], "req": req["id"],
            "matches_found": matches_found["id"], "sm2": callers["sm2"].sub}


@pytest.fixture(scope="module")
def before(server, api, callers, targets):
    # Users are recorded on first sight: every caller has been seen (conftest), so from here on a
    # refused request has nothing legitimate to write.
    for key in callers:
        api(key).get("/api/v1/me", expect=200)
    return snapshot(server.db)


def _send(client, case, targets):
    path = case.path.format(**targets)
    headers = dict(case.headers)
    if case.content_type is not None:
        headers["Content-Type"] = case.content_type
    data = None
    if case.raw is not None:
        data = case.raw.replace(b"$customer", targets["customer"].encode())
    elif case.body is not NO_BODY:
        data = json.dumps(substitute(case.body, targets), ensure_ascii=False).encode("utf-8")
    elif case.content_type is not None and case.method in ("POST", "PUT", "PATCH"):
        data = b""
    documented = case.code != "*"
    return client.request(case.method, path, data=data, params=case.params, headers=headers, documented=documented)


@pytest.mark.parametrize("case", k_cases, ids=[c.id for c in k_cases])
def test_malformed_request(server, api, targets, before, case):
    client = api(case.caller)
    try:
        resp = _send(client, case, targets)
    except requests.ConnectionError as e:
        pytest.fail(f"{case.id}: the server closed the connection without an answer ({e})")
    if case.code == "*":
        # Refused while reading the header: 431 (or 400), still a problem document.
        assert resp.status in (400, 431), resp.describe()
    else:
        assert_problem(resp, case.status, case.code)
        if case.field is not None:
            fields = resp.error_fields
            assert any(f == case.field or f.startswith(case.field + ".") or f.startswith(case.field + "[")
                       for f in fields), f"{case.id}: errors should name {case.field!r}: {resp.describe()}"
    health = Api(server.base_url, client.openapi).get("/health")
    assert health.status == 200, f"/health after {case.id}: {health.describe()}"


def test_zz_database_unchanged_by_the_batch(server, before):
    after = snapshot(server.db)
    changed = {t: (before.get(t), after.get(t)) for t in set(before) | set(after) if before.get(t) != after.get(t)}
    assert not changed, f"tables changed by refused requests (before, after): {changed}"
