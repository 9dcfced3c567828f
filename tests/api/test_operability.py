"""Health, readiness, metrics, request ids, the served contract, and errors of the router."""
import re

import pytest

from support.client import Api, assert_problem
from support import rand
from support.server import free_port, own_server


def test_health(api):
    resp = api(None).get("/health", expect=200)
    assert resp.json == {"status": "ok"} or resp.json.get("status") == "ok"


def test_ready_reports_database_up(api):
    body = api(None).get("/health/ready", expect=200).json
    assert body["status"] == "ready", body
    db = body["checks"]["database"]
    state = db.get("status", db.get("state")) if isinstance(db, dict) else db
    assert str(state).lower() in ("ok", "up", "ready"), body


def test_ready_shows_the_cache_as_a_detail(api):
    body = api(None).get("/health/ready", expect=200).json
    assert body["checks"]["cache"] == {"status": "up"}, body


def test_a_cache_outage_is_a_detail_not_unreadiness(oms_binary, store, openapi, tmp_path):
    """Redis unreachable: requests are served from the database and the service stays ready; the
    probe shows the cache down."""
    nobody = free_port()  # nothing listens there
    args = ["--cache-url", f"redis://127.0.0.1:{nobody}"]
    with own_server(oms_binary, store, tmp_path / "oms-cache-down", extra_args=args) as srv:
        token = srv.token("SALES_MANAGER", str(rand.uuid4()), "Cache Down", "cache.down@example.com")
        Api(srv.base_url, openapi, token).get("/api/v1/me", expect=200)  # the touch reads user:{id}
        body = Api(srv.base_url, openapi).get("/health/ready", expect=200).json
        assert body["status"] == "ready", body
        assert body["checks"]["cache"] == {"status": "down"}, body
        assert body["checks"]["database"] == {"status": "up"}, body
    assert srv.exit_code == 0


def _metric_lines(text, name):
    return [line for line in text.splitlines() if line.startswith(name + "{") or line.startswith(name + " ")]


def test_metrics_count_requests_by_route_and_status(api):
    api("sm1").get("/api/v1/skills", expect=200)
    api("sm1").get(f"/api/v1/opportunities/{rand.uuid4()}", expect=404)
    resp = api(None).get("/metrics", expect=200)
    assert resp.headers["Content-Type"].startswith("text/plain")
    text = resp.text
    totals = _metric_lines(text, "http_requests_total")
    assert totals, text[:2000]
    assert any('route="/api/v1/skills"' in line and 'status="200"' in line for line in totals), totals[:20]
    # The route label is the pattern, not the concrete path (bounded cardinality).
    assert any('route="/api/v1/opportunities/{id}"' in line and 'status="404"' in line for line in totals), totals[:20]
    assert not any(re.search(r'route="[^"]*[0-9a-f]{8}-[0-9a-f]{4}-', line) for line in totals)
    for line in totals:
        assert float(line.rsplit(" ", 1)[1]) >= 1
    assert re.search(r"^# TYPE \S+ histogram$", text, re.M), "no histogram declared"
    buckets = [line for line in text.splitlines() if "_bucket{" in line and 'le="' in line]
    assert any('le="+Inf"' in line for line in buckets)
    hist = re.search(r"^# TYPE (\S+) histogram$", text, re.M).group(1)
    assert _metric_lines(text, hist + "_count") and _metric_lines(text, hist + "_sum")


def test_metrics_counter_increases(api):
    def skills_200():
        text = api(None).get("/metrics", expect=200).text
        return sum(float(line.rsplit(" ", 1)[1]) for line in _metric_lines(text, "http_requests_total")
                   if 'route="/api/v1/skills"' in line and 'status="200"' in line)

    first = skills_200()
    for _ in range(3):
        api("sa").get("/api/v1/skills", expect=200)
    assert skills_200() >= first + 3


def test_request_id_echoed_when_given(api):
    rid = f"test-{rand.uuid4()}"
    resp = api("sm1").get("/api/v1/me", headers={"X-Request-Id": rid}, expect=200)
    assert resp.headers["X-Request-Id"] == rid
    err = api("sm1").get(f"/api/v1/opportunities/{rand.uuid4()}", headers={"X-Request-Id": rid + "-e"})
    assert_problem(err, 404, "NOT_FOUND")
    assert err.json["request_id"] == rid + "-e"


def test_request_id_generated_when_absent(api):
    a = api(None).get("/health", expect=200).headers["X-Request-Id"]
    b = api(None).get("/health", expect=200).headers["X-Request-Id"]
    assert a and b and a != b


def test_openapi_json_is_the_yaml_document(api, openapi):
    resp = api(None).get("/api/v1/openapi.json", expect=200)
    assert resp.headers["Content-Type"].split(";")[0] == "application/json"
    assert resp.json == openapi.doc


def test_unknown_path_is_404_problem(api):
    for path in ("/nope", "/api/v1/nope", "/api/v2/opportunities"):
        resp = api("sm1").request("GET", path, documented=False)
        assert_problem(resp, 404, "NOT_FOUND")


@pytest.mark.parametrize("method,path", [
    ("DELETE", "/api/v1/skills"),
    ("PUT", "/api/v1/opportunities"),
    ("POST", "/health"),
    ("DELETE", "/api/v1/me"),
])
def test_wrong_method_is_405_problem_with_allow(api, method, path):
    resp = api("sm1").request(method, path, documented=False)
    assert_problem(resp, 405, "METHOD_NOT_ALLOWED")
    allow = {m.strip() for m in resp.headers.get("Allow", "").split(",")}
    assert "GET" in allow and method not in allow, resp.headers


def test_keep_alive_serves_many_requests_on_one_connection(api):
    client = api("sa")
    for _ in range(20):
        client.get("/api/v1/skills", params={"limit": 1}, expect=200)
