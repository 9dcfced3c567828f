"""A local S3 that verifies SigV4 signatures (@20minutes/s3rver 4.0.4 from tests/s3rver) on
127.0.0.1, that a test can stop and start again on the same port and directory; the ECS container
credentials endpoint; Debian's AWS CLI v2 against the local S3; and the process environment oms
is started with (it inherits the test's)."""
import contextlib
import datetime
import http.server
import json
import os
import subprocess
import threading
from pathlib import Path

import pytest

from support.server import free_port

k_root = Path(__file__).resolve().parents[3]
k_s3rver_dir = k_root / "tests" / "s3rver"
k_aws = "/usr/bin/aws"  # Debian's AWS CLI v2; the `aws` first on PATH is a pip v1
k_keys = {"AWS_ACCESS_KEY_ID": "S3RVER", "AWS_SECRET_ACCESS_KEY": "S3RVER"}
k_aws_names = ("AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
               "AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
               "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_REGION",
               "AWS_DEFAULT_REGION", "OMS_ATTACHMENTS_URL", "OMS_ATTACHMENTS_CDN_DOMAIN",
               "OMS_ATTACHMENTS_CDN_KEY_PAIR_ID", "OMS_ATTACHMENTS_CDN_PRIVATE_KEY",
               "OMS_ATTACHMENTS_CDN_PRIVATE_KEY_FILE")


class S3rver:
    """One s3rver process with one bucket; `with S3rver(...) as s3:` starts and stops it."""

    def __init__(self, directory, bucket, request_log=None):
        if not (k_s3rver_dir / "node_modules").is_dir():
            pytest.fail("tests/s3rver/node_modules is missing: run scripts/setup.sh")
        self.directory = Path(directory)
        self.bucket = bucket
        self.port = free_port()
        self.proc = None
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.request_log = Path(request_log) if request_log else None  # "METHOD target" per request

    def start(self):
        env = dict(os.environ, **({"S3RVER_REQUEST_LOG": str(self.request_log)} if self.request_log else {}))
        self.proc = subprocess.Popen(["node", str(k_s3rver_dir / "start.js"), str(self.port), str(self.directory),
                                      self.bucket], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                     env=env)
        line = self.proc.stdout.readline()
        if not line.startswith("ready"):
            rest = self.proc.stdout.read() if self.proc.poll() is not None else ""
            self.stop()
            raise AssertionError(f"s3rver did not start: {line}{rest}")
        return self

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def stop(self):
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def aws(self, *args, check=True, secret=k_keys["AWS_SECRET_ACCESS_KEY"]):
        """/usr/bin/aws (v2) against this S3 with its keys (or another secret); the CompletedProcess."""
        env = {k: v for k, v in os.environ.items() if k not in k_aws_names}
        env.update(k_keys, AWS_SECRET_ACCESS_KEY=secret, AWS_DEFAULT_REGION="us-east-1", AWS_PAGER="",
                   AWS_SHARED_CREDENTIALS_FILE=str(self.directory / "no-such-file"),
                   AWS_CONFIG_FILE=str(self.directory / "no-such-config"))
        proc = subprocess.run([k_aws, "--endpoint-url", self.endpoint, *args], env=env, capture_output=True,
                              timeout=60)
        if check and proc.returncode != 0:
            raise AssertionError(f"aws {' '.join(args)} exited {proc.returncode}: {proc.stderr.decode()}")
        return proc

    def head(self, key):
        """head-object's JSON, or None when the object is not there."""
        proc = self.aws("s3api", "head-object", "--bucket", self.bucket, "--key", key, check=False)
        if proc.returncode != 0:
            assert b"404" in proc.stderr or b"Not Found" in proc.stderr, proc.stderr.decode()
            return None
        return json.loads(proc.stdout)

    def keys(self, prefix=""):
        """The keys under `prefix`, read from s3rver's directory (<directory>/<bucket>/<key>._S3rver_object;
        quicker than a CLI call)."""
        root = self.directory / self.bucket
        suffix = "._S3rver_object"
        under = root / prefix
        return sorted(str(p.relative_to(root))[:-len(suffix)] for p in under.rglob("*" + suffix)) \
            if under.is_dir() else []


class ContainerCredentials:
    """The ECS container credentials endpoint on 127.0.0.1 serving s3rver's keys with a session
    token; counts the fetches. With `token`, only a request carrying it as Authorization gets keys
    (401 otherwise). With `short_lived`, the keys expire inside oms's five-minute refresh margin,
    so every signing fetches them again (and fails while the endpoint is stopped)."""

    session_token = "session-token-" + "x" * 40

    def __init__(self, short_lived=False, token=None):
        self.short_lived = short_lived
        self.token = token
        self.fetches = 0
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/creds"
        self.httpd = None

    def start(self):
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if outer.token is not None and (self.headers.get("Authorization") != outer.token
                                                or self.path != "/creds"):
                    self.send_response(401)
                    self.end_headers()
                    return
                outer.fetches += 1
                life = datetime.timedelta(minutes=4 if outer.short_lived else 360)
                expires = datetime.datetime.now(datetime.timezone.utc) + life
                body = json.dumps({"AccessKeyId": "S3RVER", "SecretAccessKey": "S3RVER", "Token": outer.session_token,
                                   "Expiration": expires.strftime("%Y-%m-%dT%H:%M:%SZ")}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self):
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None


@contextlib.contextmanager
def process_env(**values):
    """The AWS variables of this process replaced by `values` (None: unset) while oms starts."""
    saved = {k: os.environ.get(k) for k in set(k_aws_names) | set(values)}
    try:
        for k in k_aws_names:
            os.environ.pop(k, None)
        for k, v in values.items():
            if v is not None:
                os.environ[k] = v
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
