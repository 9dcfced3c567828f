"""CloudFront signed URLs for attachment downloads (issue 11, item 1). oms's signer
(src/objects/cloudfront_signer.cpp: canned policy, RSA-SHA1, CloudFront's base64) equals
botocore's CloudFrontSigner (Debian's python3-botocore, RSA through python3-cryptography) byte
for byte for 1,000 random requests: raw URLs with any characters and expiries, and attachment
downloads (key, prefix, file name, content type, time, TTL) through tests/tools/cloudfront_sign.cpp.
Then `oms serve` with --attachments-cdn-* redirects downloads to such a URL, which the public
key verifies; and a key that does not parse (the stack's placeholder secret) makes downloads 503."""
import contextlib
import datetime
import hashlib
import json
import random
import string
import subprocess
import time
from pathlib import Path
from urllib.parse import quote, urlsplit, parse_qs

import pytest
import requests
from botocore.signers import CloudFrontSigner
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from support import rand
from support.client import Api, assert_problem
from support.factory import create_customer, create_opportunity, opp_path
from support.s3 import S3rver, k_keys, process_env
from support.server import own_server

k_cases = 1000
k_bucket = "oms-attachments"
k_key_pair_id = "K2JCJMDEHXQW5F"
k_chars = string.ascii_letters + string.digits + "-._~ !$&'()*+,;=:@%?#[]/\"\\\t\n\x01\x7f" + "éßø日本語🙂"
k_types = ["application/pdf", "image/png", "text/plain", "text/csv",
           "application/vnd.openxmlformats-officedocument.wordprocessingml.document"]


@pytest.fixture(scope="module")
def key(tmp_path_factory):
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path_factory.mktemp("cdn-key") / "cdn-signing.pem"
    # The traditional (PKCS #1) layout `openssl genrsa` writes, as docs/operations.md makes it.
    path.write_bytes(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                           serialization.NoEncryption()))
    return private, path


def botocore_signer(private):
    return CloudFrontSigner(k_key_pair_id, lambda message: private.sign(message, padding.PKCS1v15(), hashes.SHA1()))


def sign_tool(oms_binary):
    tool = Path(oms_binary).parent / "tests" / "oms_cloudfront_sign"
    assert tool.is_file(), f"{tool} is missing: build the oms_cloudfront_sign target"
    return tool


def random_text(rng, chars, lo, hi):
    return "".join(rng.choice(chars) for _ in range(rng.randint(lo, hi)))


def content_disposition(name):
    """oms's choice (RFC 6266 plain form, else RFC 8187), as in test_sigv4_boto3.py."""
    if all(0x20 <= ord(c) < 0x7f and c not in '"\\' for c in name):
        return f'attachment; filename="{name}"'
    return "attachment; filename*=UTF-8''" + quote(name.encode("utf-8"), safe="-_.~")


def random_case(rng):
    domain = random_text(rng, string.ascii_lowercase + string.digits, 8, 14) + ".cloudfront.net"
    when = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(
        seconds=rng.randint(0, 3_000_000_000), microseconds=rng.randint(0, 999_999))
    if rng.random() < 0.5:
        url = f"https://{domain}/" + random_text(rng, k_chars, 1, 60)
        if rng.random() < 0.5:
            url += "?" + random_text(rng, k_chars, 1, 30)
        return {"url": url, "expires": rng.randint(0, 4_000_000_000), "key_pair_id": k_key_pair_id}
    return {"domain": domain, "prefix": rng.choice(["", "", "tenant/", "a b/é/"]),
            "key": "/".join(random_text(rng, k_chars.replace("/", ""), 1, 12) for _ in range(rng.randint(1, 3))),
            "file_name": random_text(rng, k_chars.replace("/", ""), 1, 30), "content_type": rng.choice(k_types),
            "time": when.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), "when": when, "ttl": rng.randint(1, 604800),
            "key_pair_id": k_key_pair_id}


def botocore_url(signer, case):
    if "url" in case:
        expires = datetime.datetime.fromtimestamp(case["expires"], datetime.timezone.utc)
        return signer.generate_presigned_url(case["url"], date_less_than=expires)
    # The resource: botocore's S3 key encoding for the path, RFC 3986 for the overrides.
    url = (f"https://{case['domain']}/" + quote((case["prefix"] + case["key"]).encode(), safe="/~") +
           "?response-content-disposition=" + quote(content_disposition(case["file_name"]).encode(), safe="-_.~") +
           "&response-content-type=" + quote(case["content_type"], safe="-_.~"))
    expires = int(case["when"].timestamp()) + case["ttl"]  # whole seconds, rounded down
    return signer.generate_presigned_url(url, date_less_than=datetime.datetime.fromtimestamp(
        expires, datetime.timezone.utc))


def test_signed_urls_equal_botocore_byte_for_byte(oms_binary, key):
    private, path = key
    rng = random.Random(rand.seed)
    cases = [random_case(rng) for _ in range(k_cases)]
    lines = "".join(json.dumps({k: v for k, v in c.items() if k != "when"}, ensure_ascii=False) + "\n"
                    for c in cases)
    proc = subprocess.run([str(sign_tool(oms_binary)), str(path)], input=lines.encode("utf-8"),
                          capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    ours = [json.loads(line) for line in proc.stdout.decode("utf-8").split("\n")[:-1]]
    assert len(ours) == k_cases
    signer = botocore_signer(private)
    mismatches = [(c, o, botocore_url(signer, c)) for c, o in zip(cases, ours) if o != botocore_url(signer, c)]
    assert not mismatches, (f"{len(mismatches)} of {k_cases} differ; first:\ncase {mismatches[0][0]}\n"
                            f"oms      {mismatches[0][1]!r}\nbotocore {mismatches[0][2]!r}")
    # Both kinds were exercised, with and without a query in raw URLs, and escapes in policies.
    raw = [c for c in cases if "url" in c]
    assert 300 < len(raw) < 700
    assert any("?" in c["url"] for c in raw) and any("?" not in c["url"] for c in raw)
    assert any(any(ord(ch) > 127 or ch in '"\\\n' for ch in c["url"]) for c in raw)


def verify(private, url):
    """The URL's canned policy verifies under the public key; returns its Expires."""
    parts = urlsplit(url)
    query = parts.query
    tail = query[query.index("Expires="):]
    resource = url[:len(url) - len(tail) - 1]
    params = parse_qs(tail)
    expires = int(params["Expires"][0])
    assert params["Key-Pair-Id"] == [k_key_pair_id]
    signature = params["Signature"][0].translate(str.maketrans("-_~", "+=/"))
    import base64
    policy = json.dumps({"Statement": [{"Resource": resource, "Condition": {"DateLessThan": {"AWS:EpochTime":
                                                                                           expires}}}]},
                        separators=(",", ":"))
    private.public_key().verify(base64.b64decode(signature), policy.encode(), padding.PKCS1v15(), hashes.SHA1())
    return resource, expires


@contextlib.contextmanager
def cdn_server(oms_binary, pytestconfig, data_dir, **env):
    """oms on s3:// attachments with CloudFront downloads, configured through the environment as
    the ECS task is (`oms migrate` reads it too)."""
    s3 = S3rver(data_dir / "s3", k_bucket).start()
    try:
        cdn = {"OMS_ATTACHMENTS_URL": f"s3://{k_bucket}/tenant?endpoint={s3.endpoint}&region=us-east-1",
               "OMS_ATTACHMENTS_CDN_DOMAIN": "d111111abcdef8.cloudfront.net",
               "OMS_ATTACHMENTS_CDN_KEY_PAIR_ID": k_key_pair_id}
        with process_env(**k_keys, AWS_REGION="us-east-1", **cdn, **env):
            stack = contextlib.ExitStack()
            srv = stack.enter_context(own_server(oms_binary, pytestconfig.getoption("--store"), data_dir / "oms",
                                                 extra_args=["--rate-limit-per-second", "0"]))
        with stack:
            yield srv, s3
    finally:
        s3.stop()


def clients(srv, openapi):
    sub = str(rand.uuid4())
    sm = Api(srv.base_url, openapi, srv.token("SALES_MANAGER", sub, "sm", f"sm.{sub[:8]}@example.com"))
    sm.get("/api/v1/me", expect=200)
    return sm


def uploaded(sm, content, file_name):
    opp = create_opportunity(sm, create_customer(sm)["id"])["id"]
    body = {"file_name": file_name, "content_type": "text/plain", "size_bytes": len(content),
            "sha256": hashlib.sha256(content).hexdigest()}
    intent = sm.post(opp_path(opp, "/attachments/uploads"), json=body, expect=201).json
    put = requests.put(intent["url"], data=content, headers=intent["headers"], timeout=30)
    assert put.status_code == 200, put.text
    done = sm.post(opp_path(opp, "/attachments"), json={"upload_id": intent["upload_id"]}, expect=201).json
    return opp, done


def test_downloads_redirect_to_cloudfront_signed_urls(oms_binary, pytestconfig, tmp_path, key, openapi):
    private, path = key
    with cdn_server(oms_binary, pytestconfig, tmp_path, OMS_ATTACHMENTS_CDN_PRIVATE_KEY_FILE=str(path)) as (srv, s3):
        sm = clients(srv, openapi)
        content = b"through the distribution\n"
        opp, done = uploaded(sm, content, "Q3 plan.txt")
        # Uploads still go to S3 itself; the object is under the store's prefix.
        assert s3.head(f"tenant/{opp}/{done['id']}")["ContentLength"] == len(content)
        before = int(time.time())
        location = sm.get(opp_path(opp, f"/attachments/{done['id']}/download"), expect=302).headers["Location"]
        after = int(time.time())
        resource, expires = verify(private, location)
        assert resource == (f"https://d111111abcdef8.cloudfront.net/tenant/{opp}/{done['id']}"
                            "?response-content-disposition=attachment%3B%20filename%3D%22Q3%20plan.txt%22"
                            "&response-content-type=text%2Fplain")
        assert before + 60 <= expires <= after + 60
        expected = botocore_signer(private).generate_presigned_url(
            resource, date_less_than=datetime.datetime.fromtimestamp(expires, datetime.timezone.utc))
        assert location == expected
        as_json = sm.get(opp_path(opp, f"/attachments/{done['id']}/download"), params={"redirect": "false"},
                         expect=200).json
        assert verify(private, as_json["url"])[0] == resource


def test_an_unusable_key_makes_downloads_unavailable_not_the_service(oms_binary, pytestconfig, tmp_path, openapi):
    # What the stack's secret holds until the operator stores the key (docs/operations.md).
    placeholder = "Zx8#random-placeholder-from-secrets-manager"
    with cdn_server(oms_binary, pytestconfig, tmp_path, OMS_ATTACHMENTS_CDN_PRIVATE_KEY=placeholder) as (srv, _):
        sm = clients(srv, openapi)
        opp, done = uploaded(sm, b"kept safe\n", "a.txt")
        resp = sm.get(opp_path(opp, f"/attachments/{done['id']}/download"))
        assert_problem(resp, 503, "UNAVAILABLE")
        assert resp.headers["Retry-After"] == "1"
        assert "key" not in resp.json["detail"].lower()
        assert placeholder not in srv.log_tail(100_000)
    assert "the CloudFront private key is unusable" in srv.log_tail(100_000)


@pytest.mark.parametrize("args,env,message", [
    (["--attachments-cdn-domain", "d1.cloudfront.net"], {}, "go together"),
    (["--attachments-cdn-key-pair-id", "K1", "--attachments-cdn-private-key-file", "/nonexistent/key.pem"], {},
     "expected a readable PEM file"),
    (["--attachments-cdn-domain", "https://d1.cloudfront.net", "--attachments-cdn-key-pair-id", "K1"],
     {"OMS_ATTACHMENTS_CDN_PRIVATE_KEY": "x"}, "expected a host name"),
    (["--attachments-cdn-domain", "d1.cloudfront.net", "--attachments-cdn-key-pair-id", "K-1"],
     {"OMS_ATTACHMENTS_CDN_PRIVATE_KEY": "x"}, "expected a CloudFront public key id"),
])
def test_cdn_settings_are_validated_at_start(oms_binary, tmp_path, args, env, message):
    with process_env(**k_keys, **env):
        proc = subprocess.run([oms_binary, "serve", "--data-dir", str(tmp_path), "--attachments-url",
                               "s3://b?endpoint=http://127.0.0.1:9&region=us-east-1", *args],
                              capture_output=True, text=True, timeout=30)
    assert proc.returncode != 0
    assert message in proc.stderr + proc.stdout


def test_cdn_needs_s3_attachments(oms_binary, tmp_path):
    with process_env(OMS_ATTACHMENTS_CDN_PRIVATE_KEY="x"):
        proc = subprocess.run([oms_binary, "serve", "--data-dir", str(tmp_path), "--attachments-cdn-domain",
                               "d1.cloudfront.net", "--attachments-cdn-key-pair-id", "K1"],
                              capture_output=True, text=True, timeout=30)
    assert proc.returncode != 0 and "needs s3:// attachments" in proc.stderr + proc.stdout
