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
        "iat": now,
        "nbf": now - 5,
        "exp": now + 3600,
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


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
