"""Amazon Cognito's real token shapes against a server configured like production's identity
settings (issuer = a user pool, --jwt-client-id = its app client, --jwt-service-scope): users'
access tokens, ID tokens and client-credentials tokens are accepted by their own rules, and
everything else is 401 UNAUTHENTICATED with the reason. The tokens are signed with the embedded
profile's local key, whose JWKS the server reads."""
import subprocess

import pytest

from support import tokens
from support.client import Api, assert_problem
from support import rand
from support.server import own_server

k_scope = "oms/service"


@pytest.fixture(scope="module")
def cognito_server(oms_binary, store, tmp_path_factory):
    args = ["--jwt-issuer", tokens.k_cognito_issuer, "--jwt-client-id", tokens.k_cognito_client_id,
            "--jwt-service-scope", k_scope]
    with own_server(oms_binary, store, tmp_path_factory.mktemp("oms-cognito"), extra_args=args) as srv:
        yield srv


@pytest.fixture(scope="module")
def key(cognito_server):
    return tokens.LocalKey.load(cognito_server.data_dir)


@pytest.fixture(scope="module")
def call(cognito_server, openapi, key):
    def make(claims):
        return Api(cognito_server.base_url, openapi, tokens.sign(claims, key.private_key, key.kid))
    return make


def test_access_token_records_the_user_without_name_or_email(call):
    sub = str(rand.uuid4())
    me = call(tokens.cognito_access_claims(sub, ["SALES_MANAGER"], username="sam.seller")).get(
        "/api/v1/me", expect=200).json
    assert (me["id"], me["role"], me["name"], me["email"]) == (sub, "SALES_MANAGER", "sam.seller", "")


def test_id_token_brings_the_profile_and_access_tokens_keep_it(call):
    sub = str(rand.uuid4())
    access = call(tokens.cognito_access_claims(sub, ["SOLUTION_ARCHITECT"]))
    assert access.get("/api/v1/me", expect=200).json["name"] == "my-test-user"

    id_claims = tokens.cognito_id_claims(sub, ["test-group-a", "SOLUTION_ARCHITECT"], email="jane@example.com",
                                         given_name="Jane", family_name="Doe",
                                         **{"custom:department": "Architecture"})
    me = call(id_claims).get("/api/v1/me", expect=200).json
    assert (me["name"], me["email"], me["role"], me["department"]) == (
        "Jane Doe", "jane@example.com", "SOLUTION_ARCHITECT", "Architecture")

    me = access.get("/api/v1/me", expect=200).json
    assert (me["name"], me["email"], me["department"]) == ("Jane Doe", "jane@example.com", "Architecture")


def test_id_token_custom_role_wins_over_groups(call):
    claims = tokens.cognito_id_claims(str(rand.uuid4()), ["SALES_MANAGER"], **{"custom:role": "ADMIN"})
    client = call(claims)
    assert client.get("/api/v1/me", expect=200).json["role"] == "ADMIN"
    client.get("/api/v1/users", expect=200)


def test_client_credentials_token_with_the_service_scope_is_the_service(call):
    client_id = "1example23456789"
    me = call(tokens.cognito_client_credentials_claims(client_id, f"oms/read {k_scope}")).get(
        "/api/v1/me", expect=200).json
    assert (me["id"], me["role"], me["name"], me["email"]) == (client_id, "SERVICE", client_id, "")


def _refused(sub):
    access = tokens.cognito_access_claims
    id_token = tokens.cognito_id_claims
    cc = tokens.cognito_client_credentials_claims
    return {
        "access_other_client": (access(sub, ["ADMIN"], client_id="anotherclient"),
                                "client_id is not the configured app client"),
        "access_without_client_id": (access(sub, ["ADMIN"], client_id=None), "no client_id"),
        "access_groups_without_role": (access(sub, ["testgroup"]), "None of the token's cognito:groups (testgroup)"),
        "access_without_groups": (access(sub, None), "no cognito:groups"),
        "access_user_with_service_scope": (access(sub, None, scope=f"openid {k_scope}"), "no cognito:groups"),
        "access_other_issuer": (access(sub, ["ADMIN"], issuer="https://cognito-idp.us-west-2.amazonaws.com/other"),
                                "issuer"),
        "id_other_audience": (id_token(sub, ["ADMIN"], client_id="anotherclient"), "audience"),
        "id_without_role": (id_token(sub, ["test-group-a", "test-group-b"]), "is a role of this service"),
        "cc_without_service_scope": (cc("1example23456789", "oms/read"), f'does not include "{k_scope}"'),
        "cc_without_scope": (cc("1example23456789", None), "has no scope"),
        "cc_expired": (cc("1example23456789", k_scope, exp=1_600_000_000, iat=1_599_990_000), "expired"),
        "no_token_use": (id_token(sub, ["ADMIN"], token_use=None), "no token_use"),
        "refresh_token_use": (id_token(sub, ["ADMIN"], token_use="refresh"), "token_use is not accepted"),
        "local_dev_shape": (tokens.claims("ADMIN", sub=sub), "issuer"),
    }


@pytest.mark.parametrize("case", sorted(_refused("x")))
def test_refused_with_the_reason(call, case):
    claims, reason = _refused(str(rand.uuid4()))[case]
    resp = call(claims).get("/api/v1/me")
    assert_problem(resp, 401, "UNAUTHENTICATED")
    assert reason in resp.json["detail"], resp.describe()


def test_the_older_audience_setting_must_agree_with_the_client_id(oms_binary, tmp_path):
    proc = subprocess.run([str(oms_binary), "serve", "--data-dir", str(tmp_path), "--port", "0",
                           "--jwt-client-id", "a1", "--jwt-audience", "b2"],
                          capture_output=True, text=True, timeout=30)
    assert proc.returncode != 0
    assert "--jwt-audience (OMS_JWT_AUDIENCE): expected the same app client id as --jwt-client-id" in proc.stderr
