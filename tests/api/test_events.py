"""The outbox is delivered: a local HTTP receiver subscribed as a webhook sees every event of the
opportunities' lifecycles exactly as written in the outbox, in order per opportunity, signed; an
event whose acknowledgement is lost arrives again (same event id) and nothing else twice; a sink
that keeps failing dead-letters the event's job, which an admin retries."""
import collections
import hashlib
import hmac
import http.server
import json
import sqlite3
import threading
import time

import pytest

from support.client import Api, assert_problem
from support.factory import (add_requirement, create_customer, create_opportunity, create_skill,
                             k_problem_statement, k_timeline, opp_path, transition)
from support import rand
from support.server import own_server

k_secret = "test-webhook-secret-0123456789"
k_key_id = "k-test"
k_wait_s = 60


class Receiver:
    """An HTTP server on 127.0.0.1 recording every POST. Per (opportunity, event type) it can
    answer 500 once (`fail_once`) or drop the connection once without answering (`drop_once`);
    it answers 503 to every event of an opportunity in `refuse`."""

    def __init__(self):
        self.lock = threading.Lock()
        self.deliveries = []  # (headers dict, body bytes), in arrival order
        self.fail_once = set()  # (opportunity id, event type): answer 500 to its first delivery
        self.drop_once = set()  # the same, but drop the connection without an answer
        self.unacknowledged = []  # event ids of the deliveries failed on purpose
        self.refuse = set()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                event = json.loads(body)
                eid = self.headers.get("Oms-Event-Id")
                which = (event.get("opportunity_id"), event.get("event_type"))
                with receiver.lock:
                    receiver.deliveries.append((dict(self.headers), body))
                    refused = event.get("opportunity_id") in receiver.refuse
                    fail = which in receiver.fail_once
                    drop = which in receiver.drop_once
                    receiver.fail_once.discard(which)
                    receiver.drop_once.discard(which)
                    if fail or drop:
                        receiver.unacknowledged.append(eid)
                if drop:
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                self.send_response(503 if refused else 500 if fail else 204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/hooks/oms"

    def events(self):
        with self.lock:
            return [(h, json.loads(b), b) for h, b in self.deliveries]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def outbox(srv):
    """Every outbox row: (id, aggregate_id, event_type, payload dict, published) in aggregate order."""
    sql = ("SELECT id, aggregate_id, event_type, payload, published_at IS NOT NULL FROM outbox_events "
           "ORDER BY aggregate_id, version, occurred_at, event_type, id")
    if srv.db.store == "sqlite":
        con = sqlite3.connect(f"file:{srv.db.sqlite_path}?mode=ro", uri=True, timeout=10)
        try:
            rows = con.execute(sql).fetchall()
        finally:
            con.close()
        return [(r[0], r[1], r[2], json.loads(r[3]), bool(r[4])) for r in rows]
    out = srv.db.psql("SELECT json_agg(t) FROM (" + sql.replace("published_at IS NOT NULL", "published_at IS NOT NULL AS published") + ") t")
    rows = json.loads(out.strip() or "[]") or []
    return [(r["id"], r["aggregate_id"], r["event_type"], r["payload"], r["published"]) for r in rows]


def verify_signature(headers, body):
    parts = dict(p.split("=", 1) for p in headers["Oms-Signature"].split(","))
    assert parts["kid"] == k_key_id
    expected = hmac.new(k_secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(parts["v1"], expected), "signature does not verify"
    assert abs(time.time() - int(parts["t"])) < 600


def wait_for(what, predicate, srv):
    deadline = time.monotonic() + k_wait_s
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}:\n{srv.log_tail()}")


@pytest.fixture()
def receiver():
    r = Receiver()
    yield r
    r.close()


def start_args(receiver, *extra):
    return ["--rate-limit-per-second", "0", "--webhook-url", receiver.url, "--webhook-key-id", k_key_id,
            "--outbox-relay-interval-ms", "50", "--worker-poll-ms", "20", "--job-backoff-base-ms", "50",
            "--job-backoff-max-seconds", "1", "--metrics-emf-interval-seconds", "1", *extra]


def people(srv, openapi):
    def caller(role, name):
        return Api(srv.base_url, openapi, srv.token(role, str(rand.uuid4()), name, f"{rand.uuid4().hex[:8]}@example.com"))
    return caller("SALES_MANAGER", "Events Manager"), caller("ADMIN", "Events Admin"), caller("SERVICE", "Matching")


def lifecycle(sm, service, customer_id, skill_id):
    """Create, describe, submit, move through matching, cancel, reactivate, complete."""
    opp = create_opportunity(sm, customer_id)
    oid = opp["id"]
    sm.put(opp_path(oid, "/problem-statement"), json={"content": k_problem_statement}, expect=200)
    req = add_requirement(sm, oid, skill_id)
    sm.put(opp_path(oid, "/timeline"), json=k_timeline, expect=200)
    sm.patch(opp_path(oid), json={"priority": "CRITICAL"}, expect=200)
    sm.post(opp_path(oid, "/submit"), expect=200)
    transition(service, oid, "MATCHING_IN_PROGRESS")
    transition(service, oid, "MATCHES_FOUND")
    sm.post(opp_path(oid, "/cancel"), json={"reason": "Budget frozen"}, expect=200)
    sm.post(opp_path(oid, "/reactivate"), expect=200)
    transition(service, oid, "ARCHITECT_SELECTED", selected_architect_id=str(rand.uuid4()))
    transition(service, oid, "COMPLETED")
    assert req["id"]
    return oid


def test_webhook_receives_every_event_in_order_once_and_again_after_a_lost_ack(
        oms_binary, store, tmp_path_factory, openapi, receiver, monkeypatch):
    monkeypatch.setenv("OMS_WEBHOOK_SECRET", k_secret)
    with own_server(oms_binary, store, tmp_path_factory.mktemp("oms-events"),
                    extra_args=start_args(receiver)) as srv:
        sm, admin, service = people(srv, openapi)
        customer = create_customer(sm)
        skill = create_skill(admin)
        first = lifecycle(sm, service, customer["id"], skill["id"])
        wait_for("the first lifecycle's events", lambda: all(r[4] for r in outbox(srv)), srv)

        # Lose the acknowledgement of the next opportunity's "submitted" (500 after receipt) and of
        # its "cancelled" (the connection drops without an answer): both must arrive again.
        second = create_opportunity(sm, customer["id"])["id"]
        sm.put(opp_path(second, "/problem-statement"), json={"content": k_problem_statement}, expect=200)
        add_requirement(sm, second, skill["id"])
        sm.put(opp_path(second, "/timeline"), json=k_timeline, expect=200)
        wait_for("the second opportunity's drafts", lambda: all(r[4] for r in outbox(srv)), srv)
        before = len(outbox(srv))
        with receiver.lock:
            receiver.fail_once.add((second, "opportunity.submitted"))
            receiver.drop_once.add((second, "opportunity.cancelled"))
        sm.post(opp_path(second, "/submit"), expect=200)
        sm.post(opp_path(second, "/cancel"), json={"reason": "Customer went quiet"}, expect=200)
        sm.post(opp_path(second, "/reactivate"), expect=200)
        assert len(outbox(srv)) == before + 3
        wait_for("every event", lambda: all(r[4] for r in outbox(srv)), srv)
        with receiver.lock:
            assert not receiver.fail_once and not receiver.drop_once, "the failures were not exercised"
            twice = set(receiver.unacknowledged)
        submitted = [r for r in outbox(srv) if r[1] == second and r[2] == "opportunity.submitted"]
        cancelled = [r for r in outbox(srv) if r[1] == second and r[2] == "opportunity.cancelled"]
        assert len(submitted) == 1 and len(cancelled) == 1
        assert twice == {submitted[0][0], cancelled[0][0]}

        rows = outbox(srv)
        got = receiver.events()
        # Exactly the outbox, each event once, but the two whose acknowledgement was lost twice.
        counts = collections.Counter(h["Oms-Event-Id"] for h, _, _ in got)
        assert set(counts) == {r[0] for r in rows}
        assert {eid for eid, n in counts.items() if n != 1} == twice
        assert all(counts[eid] == 2 for eid in twice)
        by_id = {r[0]: r for r in rows}
        for headers, event, body in got:
            verify_signature(headers, body)
            row = by_id[headers["Oms-Event-Id"]]
            assert event == row[3], "the body is the outbox payload"
            assert event["event_id"] == row[0] and headers["Oms-Event-Type"] == row[2] == event["event_type"]
            assert headers["Content-Type"] == "application/json"
        # In order per opportunity: the arrival order (a redelivery right after its first try) is
        # the outbox order.
        for aggregate in {r[1] for r in rows}:
            arrived = [h["Oms-Event-Id"] for h, e, _ in got if by_id[h["Oms-Event-Id"]][1] == aggregate]
            collapsed = [eid for i, eid in enumerate(arrived) if i == 0 or arrived[i - 1] != eid]
            assert collapsed == [r[0] for r in rows if r[1] == aggregate], aggregate
        types = [r[2] for r in rows if r[1] == first]
        for t in ("opportunity.created", "opportunity.submitted", "opportunity.status_changed",
                  "opportunity.cancelled", "opportunity.reactivated"):
            assert t in types, types

        # The queue's view: every delivery job succeeded; the admin routes show them. A job is
        # marked SUCCEEDED in its own commit after its handler marked the event published, so
        # the last one may still be finishing here (seen under load): wait for it.
        def delivery_jobs():
            return admin.get("/api/v1/admin/jobs", params={"type": "outbox.deliver", "limit": 100},
                             expect=200).json

        wait_for("every delivery job to succeed",
                 lambda: all(j["state"] == "SUCCEEDED" for j in delivery_jobs()["items"]), srv)
        jobs = delivery_jobs()
        assert jobs["items"] and all(j["state"] == "SUCCEEDED" for j in jobs["items"])
        retried = [j for j in jobs["items"] if j["idempotency_key"] == submitted[0][0]]
        assert len(retried) == 1 and retried[0]["attempts"] == 2 and retried[0]["last_error"]
        one = admin.get(f"/api/v1/admin/jobs/{retried[0]['id']}", expect=200).json
        assert one["payload"]["event_id"] == submitted[0][0]
        assert_problem(admin.post(f"/api/v1/admin/jobs/{one['id']}/retry"), 409, "CONFLICT")
        assert srv.proc.poll() is None

        metrics = Api(srv.base_url, openapi).get("/metrics", expect=200).content.decode()
        assert 'oms_jobs_total{type="outbox.deliver",outcome="succeeded"}' in metrics
        assert 'oms_jobs_total{type="outbox.deliver",outcome="retried"} 2' in metrics
        # The business KPIs of this server's life: two opportunities, one completed.
        for name, n in (("created", 2), ("submitted", 2), ("cancelled", 2), ("reactivated", 2), ("completed", 1)):
            assert f"oms_opportunities_{name}_total {n}\n" in metrics, name
        wait_for("an EMF line", lambda: '"JobQueueDepth"' in srv.log_path.read_text(errors="replace"), srv)
        emf = [json.loads(line) for line in srv.log_path.read_text(errors="replace").splitlines()
               if '"_aws"' in line]
        directive = emf[-1]["_aws"]["CloudWatchMetrics"][0]
        assert directive["Namespace"] == "OMS" and directive["Dimensions"] == [["Environment"]]
        assert directive["Metrics"] == [{"Name": "JobQueueDepth", "Unit": "Count"}]
        assert emf[-1]["Environment"] == "local" and isinstance(emf[-1]["JobQueueDepth"], int)
        assert srv.stop() == 0, f"oms serve (with its worker) did not exit 0 on SIGTERM:\n{srv.log_tail()}"
        # The log sink (on by default) wrote one JSON line per delivery, the payload under "event".
        logged = [json.loads(line) for line in srv.log_path.read_text(errors="replace").splitlines()
                  if line.startswith("{") and '"type":"event"' in line]
        assert {e["event_id"] for e in logged} == {r[0] for r in rows}
        assert all(e["event"] == by_id[e["event_id"]][3] for e in logged)


def test_a_failing_sink_dead_letters_the_event_and_blocks_only_its_opportunity(
        oms_binary, store, tmp_path_factory, openapi, receiver, monkeypatch):
    monkeypatch.setenv("OMS_WEBHOOK_SECRET", k_secret)
    with own_server(oms_binary, store, tmp_path_factory.mktemp("oms-events-dead"),
                    extra_args=start_args(receiver, "--job-max-attempts", "3")) as srv:
        sm, admin, service = people(srv, openapi)
        customer = create_customer(sm)
        blocked = create_opportunity(sm, customer["id"])["id"]
        wait_for("the first event", lambda: all(r[4] for r in outbox(srv)), srv)
        with receiver.lock:
            receiver.refuse.add(blocked)
        sm.patch(opp_path(blocked), json={"priority": "LOW"}, expect=200)
        sm.patch(opp_path(blocked), json={"priority": "MEDIUM"}, expect=200)

        def dead_jobs():
            return admin.get("/api/v1/admin/jobs", params={"state": "DEAD"}, expect=200).json["items"]
        wait_for("a dead job", lambda: len(dead_jobs()) == 1, srv)
        dead = dead_jobs()[0]
        assert dead["attempts"] == 3 and "503" in dead["last_error"] and dead["finished_at"]
        # Another opportunity's events still flow while this one waits behind its dead event.
        other = create_opportunity(sm, customer["id"])["id"]
        wait_for("the other opportunity", lambda: all(r[4] for r in outbox(srv) if r[1] == other), srv)
        pending = [r for r in outbox(srv) if r[1] == blocked and not r[4]]
        assert len(pending) == 2 and pending[0][0] == dead["idempotency_key"]

        assert_problem(admin.get("/api/v1/admin/jobs", params={"state": "LOST"}), 400, "VALIDATION_ERROR", "state")
        assert_problem(admin.get("/api/v1/admin/jobs/not-a-uuid"), 400, "VALIDATION_ERROR", "id")
        assert_problem(admin.get(f"/api/v1/admin/jobs/{rand.uuid4()}"), 404, "NOT_FOUND")
        assert_problem(admin.post(f"/api/v1/admin/jobs/{rand.uuid4()}/retry"), 404, "NOT_FOUND")
        assert_problem(sm.get("/api/v1/admin/jobs"), 403, "FORBIDDEN")
        assert_problem(sm.post(f"/api/v1/admin/jobs/{dead['id']}/retry"), 403, "FORBIDDEN")

        with receiver.lock:
            receiver.refuse.discard(blocked)
        again = admin.post(f"/api/v1/admin/jobs/{dead['id']}/retry", expect=200).json
        assert again["state"] == "QUEUED" and again["attempts"] == 0
        # The retry is an admin change: audited with the job before and after, once (a refused
        # retry of a job that is no longer DEAD leaves no entry).
        assert_problem(admin.post(f"/api/v1/admin/jobs/{dead['id']}/retry"), 409, "CONFLICT")
        entries = admin.get("/api/v1/admin/audit", params={"entity_type": "job", "entity_id": dead["id"]},
                            expect=200).json["items"]
        assert [e["action"] for e in entries] == ["job.retry"]
        entry = entries[0]
        assert entry["actor_id"] == admin.get("/api/v1/me", expect=200).json["id"]
        assert (entry["before"]["state"], entry["before"]["attempts"]) == ("DEAD", 3)
        assert (entry["after"]["state"], entry["after"]["attempts"]) == ("QUEUED", 0)
        assert admin.get("/api/v1/admin/audit/verify", expect=200).json["valid"] is True
        wait_for("the blocked events", lambda: all(r[4] for r in outbox(srv)), srv)
        got = [h["Oms-Event-Id"] for h, e, _ in receiver.events() if e["opportunity_id"] == blocked]
        order = [r[0] for r in outbox(srv) if r[1] == blocked]
        collapsed = [eid for i, eid in enumerate(got) if i == 0 or got[i - 1] != eid]
        assert collapsed == order
        assert srv.stop() == 0, f"oms serve did not exit 0 on SIGTERM:\n{srv.log_tail()}"


def test_worker_command_delivers_serves_health_and_drains(oms_binary, store, tmp_path_factory, openapi,
                                                          receiver, monkeypatch):
    """The production shape: `oms serve` without the in-process worker, `oms worker` beside it."""
    import signal
    import subprocess
    import requests
    from support.server import free_port
    monkeypatch.setenv("OMS_WEBHOOK_SECRET", k_secret)
    with own_server(oms_binary, store, tmp_path_factory.mktemp("oms-worker"),
                    extra_args=start_args(receiver, "--worker-in-serve", "false")) as srv:
        sm, admin, service = people(srv, openapi)
        opp = create_opportunity(sm, create_customer(sm)["id"])["id"]
        time.sleep(0.5)
        assert not receiver.events(), "serve delivered with --worker-in-serve false"
        port = free_port()
        log = open(srv.data_dir / "worker.log", "ab")
        worker = subprocess.Popen([str(oms_binary), "worker", *srv.common_args(), "--worker-port", str(port),
                                   "--worker-concurrency", "3", *start_args(receiver)],
                                  stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for("the worker's events", lambda: all(r[4] for r in outbox(srv)), srv)
            assert {e["opportunity_id"] for _, e, _ in receiver.events()} == {opp}
            health = requests.get(f"http://127.0.0.1:{port}/health", timeout=5)
            assert health.status_code == 200 and health.json() == {"status": "ok"}
            # The relay marks the rows published inside its job; the job's own outcome is
            # counted once that job's transaction has committed, a moment later.
            succeeded = 'oms_jobs_total{type="outbox.deliver",outcome="succeeded"}'
            wait_for("the job's success on /metrics",
                     lambda: succeeded in requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text, srv)
            metrics = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
            assert "oms_job_queue_depth" in metrics
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(timeout=40) == 0
        finally:
            if worker.poll() is None:
                worker.kill()
                worker.wait()
            log.close()
