"""Black-box API tests: a real `oms` process over HTTP, on SQLite or PostgreSQL.

    python3 -m pytest -q tests/api --oms-binary=build/debug/oms --store=sqlite|postgres

The session starts one server (rate limiting off) on a fresh data directory and database, and
stops it with SIGTERM at the end, requiring exit code 0 (graceful shutdown)."""
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support.client import Api  # noqa: E402
from support.openapi import OpenApi  # noqa: E402
from support.server import OmsServer, run_cli  # noqa: E402


def pytest_addoption(parser):
    parser.addoption("--oms-binary", action="store", default=None, help="path to the oms executable")
    parser.addoption("--store", action="store", default="sqlite", choices=("sqlite", "postgres"),
                     help="database the server runs on (postgres needs OMS_TEST_POSTGRES_URL)")


@pytest.fixture(scope="session")
def oms_binary(pytestconfig):
    value = pytestconfig.getoption("--oms-binary")
    if not value:
        raise pytest.UsageError("--oms-binary=PATH is required")
    path = Path(value).resolve()
    if not path.is_file():
        raise pytest.UsageError(f"--oms-binary {path} does not exist")
    return path


@pytest.fixture(scope="session")
def store(pytestconfig):
    return pytestconfig.getoption("--store")


@pytest.fixture(scope="session")
def openapi():
    return OpenApi()


@pytest.fixture(scope="session")
def server(oms_binary, store, tmp_path_factory):
    srv = OmsServer(oms_binary, store, tmp_path_factory.mktemp("oms-data"),
                    extra_args=["--rate-limit-per-second", "0"])
    srv.prepare(seed=True)
    run_cli(oms_binary, ["seed", *srv.common_args()])  # seeding twice must be harmless
    srv.start()
    yield srv
    code = srv.stop()
    srv.db.drop()
    assert code == 0, f"oms serve exited {code} on SIGTERM (expected 0):\n{srv.log_tail()}"


@dataclass
class Caller:
    key: str
    role: str
    sub: str
    name: str
    email: str
    token: str


k_callers = {
    "sm1": ("SALES_MANAGER", "Sally Manager"),
    "sm2": ("SALES_MANAGER", "Sam Other"),
    "sm3": ("SALES_MANAGER", "Sid Deactivated"),
    "admin": ("ADMIN", "Ada Admin"),
    "sa": ("SOLUTION_ARCHITECT", "Sol Architect"),
    "service": ("SERVICE", "Matching Service"),
}


@pytest.fixture(scope="session")
def callers(server, openapi):
    """Tokens from `oms token` for each caller, each user recorded by one request."""
    out = {}
    for key, (role, name) in k_callers.items():
        sub = str(uuid.uuid4())
        email = f"{key}.{sub[:8]}@example.com"
        token = server.token(role, sub, name, email)
        out[key] = Caller(key, role, sub, name, email, token)
        Api(server.base_url, openapi, token).get("/api/v1/me", expect=200)
    return out


@pytest.fixture(scope="session")
def api(server, openapi, callers):
    """api("sm1") -> a client acting as that caller; api(None) -> anonymous; api(token=...)."""
    clients = {}

    def make(key=None, token=None):
        if token is not None:
            return Api(server.base_url, openapi, token)
        if key not in clients:
            clients[key] = Api(server.base_url, openapi, callers[key].token if key else None)
        return clients[key]

    return make
