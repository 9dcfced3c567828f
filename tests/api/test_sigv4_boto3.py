"""oms's pre-signed S3 URLs equal botocore's (Debian's python3-boto3/python3-botocore) byte for
byte, for 1,000 random requests at fixed times: PUT intents (Content-Type, Content-Length and
x-amz-checksum-sha256 signed) and GET downloads (response-content-disposition and -type), keys
and names with any characters, with and without session tokens, virtual-hosted AWS endpoints and
path-style local ones. oms's side comes from tests/tools/s3_presign.cpp (the same functions the
s3:// store calls); botocore's from S3SigV4QueryAuth with its clock pinned."""
import base64
import datetime
import json
import random
import string
import subprocess
from pathlib import Path
from unittest import mock
from urllib.parse import quote

from botocore.auth import S3SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from support import rand

k_cases = 1000
k_regions = ["us-east-1", "eu-west-1", "eu-central-1", "ap-southeast-2", "sa-east-1", "us-gov-west-1"]
k_types = ["application/pdf", "image/png", "text/plain", "text/csv",
           "application/vnd.openxmlformats-officedocument.wordprocessingml.document"]
k_key_chars = string.ascii_letters + string.digits + "-._~ !$&'()*+,;=:@%?#[]/" + "éßø日本語🙂"


def presign_tool(oms_binary):
    tool = Path(oms_binary).parent / "tests" / "oms_s3_presign"
    assert tool.is_file(), f"{tool} is missing: build the oms_s3_presign target"
    return tool


def random_text(rng, chars, lo, hi):
    return "".join(rng.choice(chars) for _ in range(rng.randint(lo, hi)))


def random_case(rng):
    bucket = random_text(rng, string.ascii_lowercase + string.digits, 3, 20) + rng.choice(["", "-x", ".y"])
    region = rng.choice(k_regions)
    prefix = rng.choice(["", "", "exports", "a/b"])
    store_url = f"s3://{bucket}" + (f"/{prefix}" if prefix else "")
    local = rng.random() < 0.5
    if local:
        endpoint = f"http://127.0.0.1:{rng.randint(1024, 65535)}"
        store_url += f"?region={region}&endpoint={endpoint}"
        base = f"{endpoint}/{bucket}"
    else:
        store_url += f"?region={region}"
        base = f"https://{bucket}.s3.{region}.amazonaws.com"
    key = "/".join(random_text(rng, k_key_chars, 1, 12) for _ in range(rng.randint(1, 3)))
    content = rng.randbytes(rng.randint(1, 64))
    when = datetime.datetime(2000, 1, 1) + datetime.timedelta(seconds=rng.randint(0, 3_000_000_000))
    return {
        "method": rng.choice(["PUT", "GET"]),
        "store_url": store_url,
        "base": base,
        "path_key": (prefix + "/" if prefix else "") + key,
        "key": key,
        "access_key": random_text(rng, string.ascii_uppercase + string.digits, 16, 20),
        "secret_key": random_text(rng, string.ascii_letters + string.digits + "+/", 40, 40),
        "token": random_text(rng, string.ascii_letters + string.digits + "+/=", 40, 200) if rng.random() < 0.5 else "",
        "time": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "when": when,
        "ttl": rng.randint(1, 604800),
        "content_type": rng.choice(k_types),
        "size": len(content) * rng.randint(1, 300000),
        "sha256": rng.randbytes(32).hex(),
        "file_name": random_text(rng, k_key_chars.replace("/", "") + '"\\', 1, 30),
    }


def content_disposition(name):
    """oms's choice of value (RFC 6266 plain form, else RFC 8187)."""
    if all(0x20 <= ord(c) < 0x7f and c not in '"\\' for c in name):
        return f'attachment; filename="{name}"'
    return "attachment; filename*=UTF-8''" + quote(name.encode("utf-8"), safe="-_.~")


def botocore_url(case):
    # botocore's own S3 key encoding (serialize.py: percent_encode(key, safe='/~')).
    url = case["base"] + "/" + quote(case["path_key"].encode("utf-8"), safe="/~")
    headers, params = {}, {}
    if case["method"] == "PUT":
        headers = {"Content-Length": str(case["size"]), "Content-Type": case["content_type"],
                   "x-amz-checksum-sha256": base64.b64encode(bytes.fromhex(case["sha256"])).decode()}
    else:
        params = {"response-content-disposition": content_disposition(case["file_name"]),
                  "response-content-type": case["content_type"]}
    request = AWSRequest(method=case["method"], url=url, headers=headers, params=params)
    credentials = Credentials(case["access_key"], case["secret_key"], case["token"] or None)
    region = case["store_url"].split("region=")[1].split("&")[0]
    with mock.patch("botocore.auth.datetime") as clock:
        clock.datetime.utcnow.return_value = case["when"]
        clock.datetime.strptime = datetime.datetime.strptime
        S3SigV4QueryAuth(credentials, "s3", region, expires=case["ttl"]).add_auth(request)
    return request.url


def test_presigned_urls_equal_botocore_byte_for_byte(oms_binary):
    rng = random.Random(rand.seed)
    cases = [random_case(rng) for _ in range(k_cases)]
    lines = "".join(json.dumps({k: v for k, v in c.items() if k not in ("when", "base", "path_key")},
                               ensure_ascii=False) + "\n" for c in cases)
    proc = subprocess.run([str(presign_tool(oms_binary))], input=lines.encode("utf-8"), capture_output=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    ours = proc.stdout.decode("utf-8").splitlines()
    assert len(ours) == k_cases
    mismatches = [(c, o, botocore_url(c)) for c, o in zip(cases, ours) if o != botocore_url(c)]
    assert not mismatches, (f"{len(mismatches)} of {k_cases} differ; first:\ncase {mismatches[0][0]}\n"
                            f"oms      {mismatches[0][1]}\nbotocore {mismatches[0][2]}")
    # Both kinds of request and both credential kinds were exercised.
    assert {c["method"] for c in cases} == {"PUT", "GET"}
    assert any(c["token"] for c in cases) and any(not c["token"] for c in cases)
