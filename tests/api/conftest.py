"""Black-box API tests: a real `oms` process over HTTP, on SQLite or PostgreSQL.

    python3 -m pytest -q tests/api --oms-binary=build/debug/oms --store=sqlite|postgres

The session starts one server (rate limiting off) on a fresh data directory and database, and
stops it with SIGTERM at the end, requiring exit code 0 (graceful shutdown). Test data is random
but seeded (support/rand.py): the seed is printed in the header and under every failure, and
OMS_TEST_SEED=<seed> (or --oms-seed=<seed>) runs the same data again."""
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support.client import Api  # noqa: E402
from support.openapi import OpenApi  # noqa: E402
from support.server import OmsServer, run_cli  # noqa: E402
from support import rand  # noqa: E402


def pytest_addoption(parser):
    parser.addoption("--oms-binary", action="store", default=None, help="path to the oms executable")
    parser.addoption("--store", action="store", default="sqlite", choices=("sqlite", "postgres"),
                     help="database the server runs on (postgres needs OMS_TEST_POSTGRES_URL)")
    parser.addoption("--oms-seed", action="store", type=int, default=None,
                     help=f"seed of the random test data (default: ${rand.k_env}, else a fresh one)")


def pytest_configure(config):
    value = config.getoption("--oms-seed")
    if value is not None:
        rand.set_seed(value)


def seed_line():
    return f"oms test seed: {rand.seed} (reproduce with {rand.k_env}={rand.seed} or --oms-seed={rand.seed})"


def pytest_report_header(config):
    return seed_line()


def pytest_runtest_setup(item):
    rand.start_test(item.nodeid)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        report.sections.append(("oms test seed", seed_line()))
        errors = server_errors(item)
        if errors:
            report.sections.append(("oms server errors", "\n".join(errors)))


def server_errors(item, limit=10):
    """The error lines of every oms log under the test's temporary directory, for the report
    (CI shows only the tail of the test command's output, which quotes these)."""
    tmp_path = getattr(item, "funcargs", {}).get("tmp_path")
    if tmp_path is None:
        return []
    found = []
    for log in sorted(Path(tmp_path).rglob("*.log")):
        try:
            lines = log.read_text(errors="replace").splitlines()
        except OSError:
            continue
        for line in lines:
            if '"level":"error"' in line:
                found.append(f"oms error: {log.name}: {line[:600]}")
                if len(found) >= limit:
                    return found
    return found


def pytest_terminal_summary(terminalreporter):
    if terminalreporter.stats.get("failed") or terminalreporter.stats.get("error"):
        terminalreporter.write_line(seed_line())


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
        sub = str(rand.uuid4())
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


@pytest.fixture(scope="module")
def env(api):
    """Per test module: a customer of sm1's and an active skill, with a Builder over them."""
    from support.factory import Builder, create_customer, create_skill
    sm1, admin, service = api("sm1"), api("admin"), api("service")
    customer = create_customer(sm1)
    skill = create_skill(admin)
    return Builder(sm1, service, customer["id"], skill["id"])
