"""Request targets are parsed with Boost.URL and routed on their raw segments: an encoded slash
("%2F") is a character of the segment it is in, never a separator; each segment is decoded after
routing. Malformed targets are 400 VALIDATION_ERROR."""
import http.client
import json
import uuid
from urllib.parse import quote

from support.client import assert_problem
from support.factory import create_customer, create_opportunity, opp_path


def test_encoded_slash_is_part_of_a_user_id(server, api):
    sub = f"team/{uuid.uuid4().hex[:12]}"
    token = server.token("SALES_MANAGER", sub, "Slash Person", f"slash.{sub[5:]}@example.com")
    assert api(token=token).get("/api/v1/me", expect=200).json["id"] == sub
    # Split on the decoded slash this was /api/v1/users/team/<hex>: no route, 404.
    out = api("admin").patch(f"/api/v1/users/{quote(sub, safe='')}", json={"is_active": True}, expect=200).json
    assert out["id"] == sub


def test_encoded_slash_does_not_reach_a_sub_resource(api):
    sm1 = api("sm1")
    opp = create_opportunity(sm1, create_customer(sm1)["id"])
    sm1.get(opp_path(opp["id"], "/status-history"), expect=200)
    # Decoded before routing, this used to answer the status history of the opportunity.
    resp = sm1.get(f"/api/v1/opportunities/{opp['id']}%2Fstatus-history")
    assert_problem(resp, 400, "VALIDATION_ERROR", field="id")


def test_escaped_characters_of_a_literal_segment_still_route(api):
    sm1 = api("sm1")
    opp = create_opportunity(sm1, create_customer(sm1)["id"])
    out = sm1.get(f"/api/v1/opportunities/{opp['id']}/status%2Dhistory", expect=200).json
    assert isinstance(out["items"], list)


def test_query_values_are_decoded_once(api):
    sm1 = api("sm1")
    tag = "".join(chr(ord("a") + int(c, 16)) for c in uuid.uuid4().hex[:10])  # letters only
    customer = create_customer(sm1, name=f"Plus+Amp& Co {tag}")
    # In a query '+' is a space, "%2B" a plus and "%26" an ampersand inside the value.
    found = sm1.get(f"/api/v1/customers?query=Plus%2BAmp%26+Co+{tag}", expect=200).json
    assert [c["id"] for c in found["items"]] == [customer["id"]]


def test_malformed_targets_are_validation_errors(server):
    # http.client sends the target as written (requests would re-quote a bad escape).
    for target in ("/api/v1/skills%zz", "/api/v1/skills?query=%4", "/api/v1/skills/%", "/api/v1/skills#x"):
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        try:
            conn.request("GET", target)
            resp = conn.getresponse()
            body = json.loads(resp.read())
        finally:
            conn.close()
        assert resp.status == 400, (target, resp.status, body)
        assert body["code"] == "VALIDATION_ERROR", (target, body)
