"""A server of its own with a small rate limit: past the burst, 429 RATE_LIMITED with Retry-After
and X-RateLimit-* headers; after waiting, requests pass again."""
import time

import pytest

from support.client import Api, assert_problem
from support.server import own_server
from support import rand


@pytest.fixture(scope="module")
def limited(oms_binary, store, tmp_path_factory):
    with own_server(oms_binary, store, tmp_path_factory.mktemp("oms-limited"),
                    extra_args=["--rate-limit-per-second", "1", "--rate-limit-burst", "3"]) as srv:
        yield srv
    assert srv.exit_code == 0, f"exit code {srv.exit_code} on SIGTERM:\n{srv.log_tail()}"


def test_burst_then_429_with_headers(limited, openapi):
    token = limited.token("SALES_MANAGER", str(rand.uuid4()), "Rate Limited", "rl@example.com")
    client = Api(limited.base_url, openapi, token)
    answers = [client.get("/api/v1/me") for _ in range(8)]
    statuses = [r.status for r in answers]
    assert statuses[0] == 200, answers[0].describe()
    assert 429 in statuses, statuses
    assert statuses.count(200) <= 4, statuses  # burst of 3 (+1 refilled at most)
    limited_resp = next(r for r in answers if r.status == 429)
    assert_problem(limited_resp, 429, "RATE_LIMITED")
    retry_after = limited_resp.headers.get("Retry-After")
    assert retry_after is not None and retry_after.isdigit() and int(retry_after) >= 1, limited_resp.headers
    assert limited_resp.headers.get("X-RateLimit-Limit"), limited_resp.headers
    assert limited_resp.headers.get("X-RateLimit-Remaining") == "0", limited_resp.headers
    ok = answers[0]
    assert ok.headers.get("X-RateLimit-Limit") and ok.headers.get("X-RateLimit-Remaining"), ok.headers

    time.sleep(int(retry_after) + 0.2)
    assert client.get("/api/v1/me").status == 200


def test_health_is_not_rate_limited(limited, openapi):
    client = Api(limited.base_url, openapi)
    assert all(client.get("/health").status == 200 for _ in range(10))
