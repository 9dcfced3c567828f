"""X-Ray traces: a UDP receiver on 127.0.0.1 stands in for the X-Ray daemon
(AWS_XRAY_DAEMON_ADDRESS). With --trace-sample-rate 0 only the caller's decision samples, so
the test knows exactly which requests send a segment. It checks the segment tree of one
request (name, ids, parent links, times, http fields, the database subsegment and its
queries), the response headers, the access log, and that an unsampled request sends nothing."""
import json
import re
import socket
import time

import pytest

from support.client import Api
from support import rand
from support.server import own_server

k_header = b'{"format":"json","version":1}\n'
k_xray_id = re.compile(r"^1-[0-9a-f]{8}-[0-9a-f]{24}$")


class Daemon:
    """The receiving end; every wait is bounded (10 s per datagram)."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(10)
        self.received = []

    @property
    def address(self):
        return f"127.0.0.1:{self.sock.getsockname()[1]}"

    def segment_of(self, trace_id):
        """Reads datagrams until the one of `trace_id` arrives (at most 50); returns its document."""
        for doc in self.received:
            if doc["trace_id"] == trace_id:
                return doc
        for _ in range(50):
            data, _ = self.sock.recvfrom(70000)
            assert data.startswith(k_header), data[:200]
            doc = json.loads(data[len(k_header):])
            self.received.append(doc)
            if doc["trace_id"] == trace_id:
                return doc
        raise AssertionError(f"no segment for {trace_id} among {len(self.received)} datagrams")

    def close(self):
        self.sock.close()


@pytest.fixture(scope="module")
def traced(oms_binary, store, tmp_path_factory):
    daemon = Daemon()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("AWS_XRAY_DAEMON_ADDRESS", daemon.address)
        with own_server(oms_binary, store, tmp_path_factory.mktemp("oms-xray"),
                        extra_args=["--trace-sample-rate", "0"]) as srv:
            token = srv.token("SALES_MANAGER", str(rand.uuid4()), "Trace Tester", "trace@example.com")
            yield srv, daemon, token
    daemon.close()


def _amzn(resp):
    fields = dict(p.split("=", 1) for p in resp.headers["X-Amzn-Trace-Id"].split(";"))
    return fields["Root"], fields["Parent"], fields["Sampled"]


def _walk(node, depth=0):
    yield node, depth
    for child in node.get("subsegments", []):
        yield from _walk(child, depth + 1)


def test_one_request_sends_its_segment_tree(traced, openapi, store):
    srv, daemon, token = traced
    w3c = rand.uuid4().hex
    caller_span = "00f067aa0ba902b7"
    resp = Api(srv.base_url, openapi, token).get(
        "/api/v1/me", headers={"traceparent": f"00-{w3c}-{caller_span}-01", "User-Agent": "trace-test"}, expect=200)
    trace_id = f"1-{w3c[:8]}-{w3c[8:]}"
    root, segment_id, sampled = _amzn(resp)
    assert (root, sampled) == (trace_id, "1")
    assert resp.headers["traceparent"] == f"00-{w3c}-{segment_id}-01"

    doc = daemon.segment_of(trace_id)
    assert doc["name"] == "oms"
    assert doc["id"] == segment_id and re.fullmatch(r"[0-9a-f]{16}", segment_id)
    assert doc["parent_id"] == caller_span
    assert doc["start_time"] <= doc["end_time"]
    assert abs(doc["start_time"] - time.time()) < 3600  # epoch seconds, not another unit
    assert doc["http"]["request"]["method"] == "GET"
    assert doc["http"]["request"]["url"].endswith("/api/v1/me")
    assert doc["http"]["request"]["client_ip"] == "127.0.0.1"
    assert doc["http"]["request"]["user_agent"] == "trace-test"
    assert doc["http"]["response"]["status"] == 200
    assert doc["http"]["response"]["content_length"] == len(resp.content)
    assert doc["annotations"]["request_id"] == resp.headers["X-Request-Id"]
    assert doc["annotations"]["route"] == "/api/v1/me"
    assert not doc.get("error") and not doc.get("fault")

    engine = "PostgreSQL" if store == "postgres" else "SQLite"
    sessions = doc["subsegments"]
    assert sessions and all(s["name"] == engine and s["namespace"] == "remote" for s in sessions), sessions
    ids = {doc["id"]}
    for node, depth in _walk(doc):
        if depth == 0:
            continue
        assert node["id"] not in ids and re.fullmatch(r"[0-9a-f]{16}", node["id"])
        ids.add(node["id"])
        assert "trace_id" not in node and "parent_id" not in node  # nested: linked by position
        assert doc["start_time"] <= node["start_time"] <= node["end_time"] <= doc["end_time"]
    for s in sessions:
        assert s["sql"]["database_type"] == engine
        assert "@" not in s["sql"]["url"] or "://" not in s["sql"]["url"].split("@")[0]
        for q in s.get("subsegments", []):
            assert q["name"] == "query"
            assert s["start_time"] <= q["start_time"] <= q["end_time"] <= s["end_time"]
    queries = [q["sql"]["sanitized_query"] for s in sessions for q in s.get("subsegments", [])]
    assert any("users" in q for q in queries), queries
    assert not any("trace@example.com" in q for q in queries), "parameter values never appear"

    # The access log names the same trace.
    log = srv.data_dir / "serve.log"
    for _ in range(100):
        lines = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
        hit = [line for line in lines if line.get("request_id") == resp.headers["X-Request-Id"]]
        if hit:
            break
        time.sleep(0.1)
    assert hit and hit[0]["trace_id"] == trace_id, hit


def test_the_callers_decision_is_honoured_in_both_directions(traced, openapi):
    srv, daemon, token = traced
    api = Api(srv.base_url, openapi, token)
    unsampled = "1-" + rand.uuid4().hex[:8] + "-" + rand.uuid4().hex[:24]
    resp = api.get("/api/v1/me", headers={"X-Amzn-Trace-Id": f"Root={unsampled};Parent=53995c3f42cd8ad8;Sampled=0"},
                   expect=200)
    assert _amzn(resp)[0] == unsampled and _amzn(resp)[2] == "0"
    # No header at all, at rate 0: not sampled, but a trace id is made and returned.
    resp = api.get("/api/v1/me", expect=200)
    made, _, sampled = _amzn(resp)
    assert k_xray_id.match(made) and sampled == "0"

    sampled_id = "1-" + rand.uuid4().hex[:8] + "-" + rand.uuid4().hex[:24]
    resp = api.get("/api/v1/me", headers={"X-Amzn-Trace-Id": f"Root={sampled_id};Sampled=1"}, expect=200)
    assert _amzn(resp)[2] == "1"
    doc = daemon.segment_of(sampled_id)
    assert "parent_id" not in doc
    # Segments are sent before their response; the later sampled one arrived, the others never came.
    seen = {d["trace_id"] for d in daemon.received}
    assert unsampled not in seen and made not in seen


def test_a_failed_request_is_marked_and_counted(traced, openapi):
    srv, daemon, _ = traced
    trace_id = "1-" + rand.uuid4().hex[:8] + "-" + rand.uuid4().hex[:24]
    resp = Api(srv.base_url, openapi).get("/api/v1/me", headers={"X-Amzn-Trace-Id": f"Root={trace_id};Sampled=1"})
    assert resp.status == 401
    doc = daemon.segment_of(trace_id)
    assert doc["error"] is True and not doc.get("fault")
    assert doc["http"]["response"]["status"] == 401
    metrics = Api(srv.base_url, openapi).get("/metrics", expect=200).text
    sent = re.search(r'^xray_segments_total\{outcome="sent"\} (\d+)$', metrics, re.M)
    assert sent and int(sent.group(1)) >= 3, metrics[-500:]


@pytest.mark.parametrize("args, env, message", [
    (["--trace-sample-rate", "1.5"], {}, "--trace-sample-rate (OMS_TRACE_SAMPLE_RATE): expected a number from 0 to 1"),
    (["--trace-sample-rate", "often"], {}, "--trace-sample-rate (OMS_TRACE_SAMPLE_RATE): expected a number"),
    ([], {"AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1"}, "AWS_XRAY_DAEMON_ADDRESS: expected host:port"),
    ([], {"AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1:70000"}, "AWS_XRAY_DAEMON_ADDRESS: expected host:port"),
])
def test_bad_tracing_settings_stop_the_start(oms_binary, tmp_path, args, env, message):
    import os
    import subprocess
    proc = subprocess.run([str(oms_binary), "serve", "--data-dir", str(tmp_path), "--port", "0", *args],
                          capture_output=True, text=True, timeout=30, env={**os.environ, **env})
    assert proc.returncode == 2, proc.stderr
    assert message in proc.stderr, proc.stderr


def test_the_worker_sends_a_segment_per_job_run(oms_binary, store, openapi, tmp_path):
    """`oms worker` (production shape: serve without its in-process worker): with sample rate 1,
    the delivery of an outbox event is one `oms-worker` segment with its database sessions."""
    import os
    import subprocess
    from support.factory import create_customer, create_opportunity
    from support.server import free_port
    daemon = Daemon()
    try:
        with own_server(oms_binary, store, tmp_path / "oms-xray-worker",
                        extra_args=["--worker-in-serve", "false", "--rate-limit-per-second", "0"]) as srv:
            token = srv.token("SALES_MANAGER", str(rand.uuid4()), "Worker Tracer", "worker.trace@example.com")
            sm = Api(srv.base_url, openapi, token)
            create_opportunity(sm, create_customer(sm)["id"])  # one outbox event to deliver
            log = open(srv.data_dir / "worker.log", "ab")
            env = {**os.environ, "AWS_XRAY_DAEMON_ADDRESS": daemon.address}
            worker = subprocess.Popen(
                [str(oms_binary), "worker", *srv.common_args(), "--worker-port", str(free_port()),
                 "--trace-sample-rate", "1", "--outbox-relay-interval-ms", "50", "--worker-poll-ms", "20"],
                stdout=log, stderr=subprocess.STDOUT, env=env)
            try:
                doc = None
                for _ in range(50):  # bounded: at most 50 datagrams of 10 s each
                    data, _ = daemon.sock.recvfrom(70000)
                    candidate = json.loads(data[len(k_header):])
                    if candidate["name"] == "oms-worker":
                        doc = candidate
                        break
                assert doc is not None, "no oms-worker segment"
                assert k_xray_id.match(doc["trace_id"]), doc
                assert doc["annotations"]["job_type"] == "outbox.deliver", doc
                assert doc["annotations"]["outcome"] == "succeeded", doc
                names = {sub["name"] for sub in doc.get("subsegments", [])}
                assert names == {"SQLite" if store == "sqlite" else "PostgreSQL"}, doc
                assert all(sub["namespace"] == "remote" and sub.get("subsegments") for sub in doc["subsegments"])
            finally:
                worker.terminate()
                assert worker.wait(timeout=30) == 0
                log.close()
    finally:
        daemon.close()
