"""Starting and stopping a real `oms` process on its own data directory and database."""
import contextlib
import functools
import os
import secrets
import signal
import socket
import subprocess
import time
import urllib.parse
from pathlib import Path

import requests

k_start_timeout_s = 30
k_stop_timeout_s = 40


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@functools.lru_cache(maxsize=None)
def sanitized(binary):
    """True for an AddressSanitizer build of oms: its RSS counts ASan's quarantine of freed memory
    (docs/toolchain.md), so memory bounds are measured on the release pass only. Read once a
    binary: the ASan build is 200 MB."""
    with open(binary, "rb") as f:
        return b"__asan_init" in f.read()


def run_cli(binary, args, timeout=60):
    """Runs one `oms` subcommand; fails with its output unless it exits 0. Returns stdout."""
    proc = subprocess.run([str(binary), *args], capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise AssertionError(f"`oms {' '.join(args)}` exited {proc.returncode}\n"
                             f"stdout: {proc.stdout[-3000:]}\nstderr: {proc.stderr[-3000:]}")
    return proc.stdout


class Database:
    """A fresh database for one server: a SQLite file in the data dir, or a new PostgreSQL
    database created on the server named by OMS_TEST_POSTGRES_URL."""

    def __init__(self, store, data_dir):
        self.store = store
        self.data_dir = Path(data_dir)
        self.admin_url = None
        self.name = None
        self.migrate_url = None
        if store == "sqlite":
            self.url = f"sqlite://{self.data_dir / 'oms.db'}"
            return
        admin_url = os.environ.get("OMS_TEST_POSTGRES_URL")
        if not admin_url:
            raise AssertionError("--store=postgres needs OMS_TEST_POSTGRES_URL "
                                 "(e.g. postgresql://oms@127.0.0.1:55435/oms); it is not set")
        self.admin_url = admin_url
        self.name = f"oms_api_{secrets.token_hex(6)}"
        self.psql(f"CREATE DATABASE {self.name}", url=admin_url)
        parts = urllib.parse.urlsplit(admin_url)
        self.url = urllib.parse.urlunsplit(parts._replace(path="/" + self.name))
        # scripts/test.sh's PgBouncer pass: OMS_TEST_POSTGRES_URL is a transaction pool and
        # migrations go through the session pool named here, as in production.
        migrate = os.environ.get("OMS_TEST_POSTGRES_MIGRATE_URL")
        if migrate:
            parts = urllib.parse.urlsplit(migrate)
            self.migrate_url = urllib.parse.urlunsplit(parts._replace(path="/" + self.name))

    @property
    def sqlite_path(self):
        return self.data_dir / "oms.db"

    def psql(self, sql, url=None):
        proc = subprocess.run(["psql", url or self.url, "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1",
                               "-c", sql], capture_output=True, text=True, timeout=60)
        if proc.returncode != 0:
            raise AssertionError(f"psql failed on {sql!r}: {proc.stderr}")
        return proc.stdout

    def drop(self):
        if self.name:
            self.psql(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)", url=self.admin_url)


@contextlib.contextmanager
def own_server(binary, store, data_dir, extra_args=()):
    """A server of its own on a fresh database, migrated (no demo data) and started. On leaving it is
    stopped with SIGTERM, its exit code kept in `exit_code`, and its database dropped."""
    srv = OmsServer(binary, store, data_dir, extra_args=extra_args)
    try:
        srv.prepare(seed=False)
        srv.start()
        yield srv
    finally:
        srv.exit_code = srv.stop()
        srv.db.drop()


class OmsServer:
    """One `oms serve` process. Logs go to <data_dir>/serve.log."""

    def __init__(self, binary, store, data_dir, extra_args=()):
        self.binary = Path(binary)
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.db = Database(store, self.data_dir)
        self.port = None
        self.proc = None
        self.extra_args = list(extra_args)
        self.log_path = self.data_dir / "serve.log"

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    def common_args(self):
        return ["--data-dir", str(self.data_dir), "--database-url", self.db.url]

    def migrate_args(self):
        if not self.db.migrate_url:
            return self.common_args()
        return ["--data-dir", str(self.data_dir), "--database-url", self.db.migrate_url, "--database-prepared", "true"]

    def prepare(self, seed=True):
        run_cli(self.binary, ["migrate", *self.migrate_args()])
        if seed:
            run_cli(self.binary, ["seed", *self.migrate_args()])

    def start(self):
        self.port = free_port()
        args = [str(self.binary), "serve", "--profile", "embedded", *self.common_args(), "--address",
                "127.0.0.1", "--port", str(self.port), *self.extra_args]
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(args, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + k_start_timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"oms serve exited {self.proc.returncode} at start:\n{self.log_tail()}")
            try:
                if requests.get(self.base_url + "/health", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.1)
        self.proc.kill()
        raise AssertionError(f"oms serve did not answer /health within {k_start_timeout_s}s:\n{self.log_tail()}")

    def token(self, role, sub, name, email, ttl=None):
        args = ["token", "--role", role, "--sub", sub, "--name", name, "--email", email, "--data-dir",
                str(self.data_dir)]
        if ttl is not None:
            args += ["--ttl", str(ttl)]
        out = run_cli(self.binary, args).strip()
        assert out and "\n" not in out and out.count(".") == 2, f"oms token printed {out!r}"
        return out

    def stop(self, sig=signal.SIGTERM):
        """Sends `sig` and returns the exit code (None if it had to be killed)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=k_stop_timeout_s)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                self._log.close()
                return None
        self._log.close()
        return self.proc.returncode

    def log_tail(self, n=4000):
        try:
            return self.log_path.read_bytes()[-n:].decode("utf-8", "replace")
        except OSError:
            return "(no log)"
