"""Tokens signed by the tests themselves, for the cases `oms token` must never produce."""
import base64
import hashlib
import json
import time

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from support import rand

k_issuer = "oms-local"
k_audience = "oms"


def _b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


class LocalKey:
    """The embedded profile's signing key in <data-dir>/jwt_signing_key.pem."""

    def __init__(self, pem_bytes):
        self.private_key = serialization.load_pem_private_key(pem_bytes, password=None)
        self.public_der = self.private_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
        self.public_pem = self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        # kid: first 16 hex characters of sha256(DER SubjectPublicKeyInfo), as the contract says.
        self.kid = hashlib.sha256(self.public_der).hexdigest()[:16]

    @classmethod
    def load(cls, data_dir):
        return cls((data_dir / "jwt_signing_key.pem").read_bytes())


def claims(role="SALES_MANAGER", sub=None, **overrides):
    now = int(time.time())
    body = {
        "sub": sub or str(rand.uuid4()),
        "custom:role": role,
        "name": "Test Caller",
        "email": "caller@example.com",
        "iss": k_issuer,
        "aud": k_audience,
        "token_use": "id",
        "iat": now,
        "nbf": now - 5,
        "exp": now + 3600,
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


# Amazon Cognito's token shapes, claim for claim as in AWS's documented example payloads
# (Cognito developer guide: "Understanding the access token", "Understanding the identity (ID)
# token", and the machine-to-machine access token of "Scopes, M2M, and resource servers").
# `issuer` and `client_id` are the user pool's; times are now-relative; overrides replace claims
# (None removes one).
k_cognito_issuer = "https://cognito-idp.us-west-2.amazonaws.com/us-west-2_example"
k_cognito_client_id = "xxxxxxxxxxxxexample"


def _finish(body, overrides):
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def cognito_access_claims(sub, groups, username="my-test-user", issuer=k_cognito_issuer,
                          client_id=k_cognito_client_id, **overrides):
    now = int(time.time())
    return _finish({
        "sub": sub,
        "device_key": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        "cognito:groups": groups,
        "iss": issuer,
        "version": 2,
        "client_id": client_id,
        "origin_jti": str(rand.uuid4()),
        "event_id": str(rand.uuid4()),
        "token_use": "access",
        "scope": "phone openid profile resourceserver.1/appclient2 email",
        "auth_time": now - 60,
        "exp": now + 3600,
        "iat": now - 60,
        "jti": str(rand.uuid4()),
        "username": username,
    }, overrides)


def cognito_id_claims(sub, groups, email="my-test-user@example.com", username="my-test-user",
                      issuer=k_cognito_issuer, client_id=k_cognito_client_id, **overrides):
    now = int(time.time())
    return _finish({
        "sub": sub,
        "cognito:groups": groups,
        "email_verified": True,
        "cognito:preferred_role": "arn:aws:iam::111122223333:role/my-test-role",
        "iss": issuer,
        "cognito:username": username,
        "middle_name": "Jane",
        "nonce": "abcdefg",
        "origin_jti": str(rand.uuid4()),
        "cognito:roles": ["arn:aws:iam::111122223333:role/my-test-role"],
        "aud": client_id,
        "identities": [{"providerName": "SignInWithApple", "providerType": "SignInWithApple",
                        "primary": "false", "dateCreated": "1642699117273",
                        "userId": "111111.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.1111", "issuer": None}],
        "event_id": str(rand.uuid4()),
        "token_use": "id",
        "auth_time": now - 60,
        "exp": now + 3600,
        "iat": now - 60,
        "jti": str(rand.uuid4()),
        "email": email,
    }, overrides)


def cognito_client_credentials_claims(client_id, scope, issuer=k_cognito_issuer, **overrides):
    now = int(time.time())
    return _finish({
        "sub": client_id,
        "token_use": "access",
        "scope": scope,
        "auth_time": now - 60,
        "iss": issuer,
        "exp": now + 3600,
        "iat": now - 60,
        "version": 2,
        "jti": str(rand.uuid4()),
        "client_id": client_id,
    }, overrides)


def sign(payload, private_key, kid, alg="RS256"):
    return jwt.encode(payload, private_key, algorithm=alg, headers={"kid": kid})


def unsigned(payload, kid):
    """`alg: none` with an empty signature."""
    header = {"alg": "none", "typ": "JWT", "kid": kid}
    return (_b64url(json.dumps(header).encode()) + "." + _b64url(json.dumps(payload).encode()) + ".")


def hs256_with_public_key(payload, public_pem, kid):
    """The classic algorithm-confusion attack: HMAC keyed with the RSA public key. PyJWT refuses
    to do this, so the token is assembled by hand."""
    import hmac
    header = {"alg": "HS256", "typ": "JWT", "kid": kid}
    signing_input = (_b64url(json.dumps(header).encode()) + "." + _b64url(json.dumps(payload).encode()))
    mac = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + _b64url(mac)


def foreign_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)
