"""Bearer tokens the server must refuse (401 UNAUTHENTICATED), and the ones it must accept."""
import base64
import json
import time

import pytest

from support import tokens
from support.client import assert_problem
from support import rand


@pytest.fixture(scope="module")
def key(server):
    return tokens.LocalKey.load(server.data_dir)


def test_kid_matches_jwks(server, key):
    jwks = json.loads((server.data_dir / "jwks.json").read_text())
    kids = [k["kid"] for k in jwks["keys"]]
    assert key.kid in kids
    entry = next(k for k in jwks["keys"] if k["kid"] == key.kid)
    n = int.from_bytes(base64.urlsafe_b64decode(entry["n"] + "=" * (-len(entry["n"]) % 4)), "big")
    assert n == key.private_key.public_key().public_numbers().n


def test_cli_token_claims(callers):
    c = callers["sm1"]
    claims = json.loads(base64.urlsafe_b64decode(c.token.split(".")[1] + "=="))
    header = json.loads(base64.urlsafe_b64decode(c.token.split(".")[0] + "=="))
    assert header["alg"] == "RS256"
    assert (claims["sub"], claims["custom:role"], claims["iss"], claims["aud"]) == (
        c.sub, "SALES_MANAGER", "oms-local", "oms")
    assert claims["exp"] > time.time()


def test_self_signed_token_with_the_local_key_is_accepted(api, key):
    sub = str(rand.uuid4())
    token = tokens.sign(tokens.claims("SOLUTION_ARCHITECT", sub=sub, name="Self Signed"), key.private_key, key.kid)
    me = api(token=token).get("/api/v1/me", expect=200).json
    assert (me["id"], me["role"], me["name"]) == (sub, "SOLUTION_ARCHITECT", "Self Signed")


def test_cognito_groups_claim_gives_the_role(api, key):
    claims = tokens.claims(sub=str(rand.uuid4()), **{"custom:role": None, "cognito:groups": ["ADMIN"]})
    token = tokens.sign(claims, key.private_key, key.kid)
    assert api(token=token).get("/api/v1/me", expect=200).json["role"] == "ADMIN"
    api(token=token).get("/api/v1/users", expect=200)


def test_optional_claims_are_recorded(api, key):
    claims = tokens.claims(sub=str(rand.uuid4()), **{"custom:employee_id": "E-1234", "custom:department": "Sales"})
    me = api(token=tokens.sign(claims, key.private_key, key.kid)).get("/api/v1/me", expect=200).json
    assert (me["employee_id"], me["department"]) == ("E-1234", "Sales")


def _rejected_tokens(key):
    now = int(time.time())
    good = tokens.claims
    return {
        "expired": tokens.sign(good(exp=now - 3600, iat=now - 7200, nbf=now - 7200), key.private_key, key.kid),
        "nbf_in_future": tokens.sign(good(nbf=now + 3600), key.private_key, key.kid),
        "wrong_issuer": tokens.sign(good(iss="https://evil.example"), key.private_key, key.kid),
        "wrong_audience": tokens.sign(good(aud="another-app"), key.private_key, key.kid),
        "unknown_kid": tokens.sign(good(), key.private_key, "0123456789abcdef"),
        "wrong_signature": tokens.sign(good(), tokens.foreign_key(), key.kid),
        "alg_none": tokens.unsigned(good(), key.kid),
        "hs256_with_public_key": tokens.hs256_with_public_key(good(), key.public_pem, key.kid),
        "no_exp": tokens.sign(good(exp=None), key.private_key, key.kid),
        "no_sub": tokens.sign({k: v for k, v in good().items() if k != "sub"}, key.private_key, key.kid),
        "tampered_payload": _tamper(tokens.sign(good(), key.private_key, key.kid)),
        "garbage": "garbage",
        "three_garbage_parts": "aaa.bbb.ccc",
        "empty_signature": tokens.sign(good(), key.private_key, key.kid).rsplit(".", 1)[0] + ".",
    }


def _tamper(token):
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["custom:role"] = "ADMIN"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


k_rejected = ["expired", "nbf_in_future", "wrong_issuer", "wrong_audience", "unknown_kid", "wrong_signature",
              "alg_none", "hs256_with_public_key", "no_exp", "no_sub", "tampered_payload", "garbage",
              "three_garbage_parts", "empty_signature"]


@pytest.mark.parametrize("case", k_rejected)
def test_rejected_token(api, key, case):
    token = _rejected_tokens(key)[case]
    assert_problem(api(token=token).get("/api/v1/me"), 401, "UNAUTHENTICATED")


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc.def.ghi"])
def test_malformed_authorization_header(api, header):
    resp = api(None).get("/api/v1/me", headers={"Authorization": header})
    assert_problem(resp, 401, "UNAUTHENTICATED")


def test_wrong_scheme_with_a_valid_token(api, callers):
    resp = api(None).get("/api/v1/me", headers={"Authorization": f"Token {callers['sm1'].token}"})
    assert_problem(resp, 401, "UNAUTHENTICATED")


def test_unknown_role_is_refused(api, key):
    token = tokens.sign(tokens.claims("SUPERUSER"), key.private_key, key.kid)
    resp = api(token=token).get("/api/v1/me")
    assert resp.status in (401, 403), resp.describe()
    assert resp.code in ("UNAUTHENTICATED", "FORBIDDEN")
