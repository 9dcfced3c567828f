"""Attachments on s3:// end to end with Debian's AWS CLI v2 (/usr/bin/aws 2.9.19, its own SigV4;
the `aws` first on PATH is a pip v1) against a local S3 that verifies signatures (s3rver 4.0.4 on
127.0.0.1): what oms's flow uploads (intent -> PUT with the signed headers -> complete) is what
the CLI lists and downloads, byte for byte; an object the CLI puts where oms signed nothing, or
other bytes where it did, is refused by complete; a tampered signature, an expired URL (signed by
oms's own code with a clock pinned 15 minutes back, through tests/tools/s3_presign.cpp), a longer
body and other bytes than the checksum are refused, and nothing is recorded."""
import contextlib
import datetime
import hashlib
import json
import os
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from support import rand
from support.attachments import complete, new_opportunity, put, sales_manager, start, upload_rows
from support.client import assert_problem
from support.factory import opp_path
from support.s3 import S3rver, k_aws, k_keys, process_env
from support.server import own_server

k_bucket = "oms-attachments"


@pytest.fixture(scope="module")
def env(oms_binary, tmp_path_factory, pytestconfig):
    assert Path(k_aws).is_file(), "Debian's awscli (v2) is missing: run scripts/setup.sh"
    version = subprocess.run([k_aws, "--version"], capture_output=True, text=True, timeout=60).stdout
    assert version.startswith("aws-cli/2."), version
    data_dir = tmp_path_factory.mktemp("attachments-aws-cli")
    s3 = S3rver(data_dir / "s3", k_bucket).start()
    try:
        with process_env(**k_keys, AWS_REGION="us-east-1",
                         AWS_SHARED_CREDENTIALS_FILE=str(data_dir / "no-such-file")):
            stack = contextlib.ExitStack()
            srv = stack.enter_context(own_server(
                oms_binary, pytestconfig.getoption("--store"), data_dir / "oms",
                extra_args=["--rate-limit-per-second", "0", "--attachments-url",
                            f"s3://{k_bucket}?endpoint={s3.endpoint}&region=us-east-1"]))
        with stack:
            yield srv, s3
    finally:
        s3.stop()


@pytest.fixture
def sm(env, openapi):
    return sales_manager(env[0], openapi)


def keys_under(s3, prefix):
    out = s3.aws("s3api", "list-objects-v2", "--bucket", k_bucket, "--prefix", prefix).stdout
    return sorted(o["Key"] for o in json.loads(out or b"{}").get("Contents", []))


def test_oms_upload_is_what_the_aws_cli_lists_and_downloads(env, sm, tmp_path):
    srv, s3 = env
    opp = new_opportunity(sm)
    content = os.urandom(1_500_000)
    intent = start(sm, opp, content, content_type="application/pdf", file_name="scan.pdf").json
    assert put(intent, content).status_code == 200
    done = complete(sm, opp, intent["upload_id"], expect=201).json
    key = f"{opp}/{done['id']}"
    head = s3.head(key)
    assert head["ContentLength"] == len(content)
    assert head["ContentType"] == "application/pdf"
    assert keys_under(s3, opp + "/") == [key]
    target = tmp_path / "copy.pdf"
    s3.aws("s3", "cp", f"s3://{k_bucket}/{key}", str(target))
    assert target.read_bytes() == content
    assert done["checksum_sha256"] == hashlib.sha256(target.read_bytes()).hexdigest()
    # And oms's signed GET serves the same bytes.
    location = sm.get(opp_path(opp, f"/attachments/{done['id']}/download"), expect=302).headers["Location"]
    assert requests.get(location, timeout=30).content == content


def test_objects_oms_did_not_sign_are_refused_by_complete(env, sm, tmp_path):
    srv, s3 = env
    opp = new_opportunity(sm)
    stray = tmp_path / "stray.txt"
    stray.write_bytes(b"put with the CLI, no intent\n")
    # A key oms never signed: there is no upload to complete.
    unsigned_id = str(rand.uuid4())
    s3.aws("s3", "cp", str(stray), f"s3://{k_bucket}/{opp}/{unsigned_id}", "--content-type", "text/plain")
    assert s3.head(f"{opp}/{unsigned_id}") is not None
    assert_problem(complete(sm, opp, unsigned_id), 404, "NOT_FOUND")
    # The key of an intent, but the CLI wrote other bytes there (the store's own keys bypass the
    # signed URL): complete compares size and SHA-256, deletes the object, records nothing.
    content = b"what the intent announced\n"
    intent = start(sm, opp, content).json
    other = tmp_path / "other.txt"
    other.write_bytes(b"X" * len(content))
    s3.aws("s3", "cp", str(other), f"s3://{k_bucket}/{opp}/{intent['upload_id']}", "--content-type", "text/plain")
    assert_problem(complete(sm, opp, intent["upload_id"]), 409, "CONFLICT")
    assert s3.head(f"{opp}/{intent['upload_id']}") is None
    assert sm.get(opp_path(opp, "/attachments"), expect=200).json["items"] == []
    assert upload_rows(srv, opp) == [(intent["upload_id"], False)]


def presign_put(oms_binary, s3, key, content, when, ttl):
    """oms's own pre-signed PUT (the s3:// store's functions, tests/tools/s3_presign.cpp) at `when`."""
    tool = Path(oms_binary).parent / "tests" / "oms_s3_presign"
    assert tool.is_file(), f"{tool} is missing: build the oms_s3_presign target"
    request = {"method": "PUT", "store_url": f"s3://{k_bucket}?region=us-east-1&endpoint={s3.endpoint}",
               "key": key, "access_key": "S3RVER", "secret_key": "S3RVER", "token": "",
               "time": when.strftime("%Y-%m-%dT%H:%M:%SZ"), "ttl": ttl, "content_type": "text/plain",
               "size": len(content), "sha256": hashlib.sha256(content).hexdigest(), "file_name": "x.txt"}
    proc = subprocess.run([str(tool)], input=json.dumps(request) + "\n", capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def signed_headers(content):
    import base64
    return {"Content-Type": "text/plain", "Content-Length": str(len(content)),
            "x-amz-checksum-sha256": base64.b64encode(hashlib.sha256(content).digest()).decode()}


def test_expired_urls_are_refused_by_s3(env, oms_binary):
    srv, s3 = env
    content = b"signed a while ago\n"
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    # 15 minutes and one second ago with the intent's 15-minute TTL; and 2 s ago with a 1 s TTL.
    for when, ttl in ((now - datetime.timedelta(seconds=901), 900), (now - datetime.timedelta(seconds=2), 1)):
        key = f"expired/{rand.uuid4()}"
        url = presign_put(oms_binary, s3, key, content, when, ttl)
        resp = requests.put(url, data=content, headers=signed_headers(content), timeout=30)
        assert resp.status_code == 403, resp.text
        assert "expired" in resp.text.lower(), resp.text
        assert s3.head(key) is None
    # The control: the same signing at the present time is accepted.
    key = f"fresh/{rand.uuid4()}"
    url = presign_put(oms_binary, s3, key, content, now, 900)
    assert requests.put(url, data=content, headers=signed_headers(content), timeout=30).status_code == 200
    assert s3.head(key)["ContentLength"] == len(content)


def test_tampered_oversized_and_wrong_checksum_uploads_are_refused(env, sm):
    srv, s3 = env
    opp = new_opportunity(sm)
    content = b"exactly these bytes\n"
    intent = start(sm, opp, content).json
    key = f"{opp}/{intent['upload_id']}"
    parts = urlsplit(intent["url"])
    # A tampered signature (one hex digit changed).
    query = parts.query.split("&")
    sig = [i for i, p in enumerate(query) if p.startswith("X-Amz-Signature=")][0]
    digit = query[sig][-1]
    query[sig] = query[sig][:-1] + ("0" if digit != "0" else "1")
    tampered = dict(intent, url=parts._replace(query="&".join(query)).geturl())
    resp = put(tampered, content)
    assert resp.status_code == 403 and "SignatureDoesNotMatch" in resp.text, resp.text
    # A longer body than signed (its Content-Length differs from the signed one).
    longer = content + b"and more"
    resp = put(intent, longer, headers=dict(intent["headers"], **{"Content-Length": str(len(longer))}))
    assert resp.status_code == 403 and "SignatureDoesNotMatch" in resp.text, resp.text
    # Another checksum header than signed.
    resp = put(intent, content, headers=dict(intent["headers"], **signed_headers(b"something else")
                                              | {"Content-Length": str(len(content))}))
    assert resp.status_code == 403, resp.text
    # More than 20 MiB cannot even be announced.
    assert_problem(start(sm, opp, b"x", expect=None, size_bytes=20 * 1024 * 1024 + 1), 413, "PAYLOAD_TOO_LARGE")
    assert s3.head(key) is None
    assert_problem(complete(sm, opp, intent["upload_id"]), 409, "CONFLICT")  # nothing uploaded yet

    # Other bytes of the same length with the signed headers. AWS S3 refuses them (BadDigest:
    # x-amz-checksum-sha256 is signed and S3 hashes the body). s3rver 4.0.4 does not check that
    # checksum and stores them: here oms's complete is the check that refuses them.
    altered = b"X" + content[1:]
    resp = put(intent, altered)
    assert resp.status_code == 200, "s3rver now checks x-amz-checksum-sha256: assert its refusal instead"
    assert s3.head(key)["ContentLength"] == len(content)
    assert_problem(complete(sm, opp, intent["upload_id"]), 409, "CONFLICT")
    assert s3.head(key) is None, "the refused object is deleted"
    assert sm.get(opp_path(opp, "/attachments"), expect=200).json["items"] == []
    assert upload_rows(srv, opp) == [(intent["upload_id"], False)]
    # The right bytes on the same signed URL still complete.
    assert put(intent, content).status_code == 200
    assert complete(sm, opp, intent["upload_id"], expect=201).json["size_bytes"] == len(content)
