"""Several `oms serve` processes sharing one real Redis, each with its in-process tier in front of
it: a write through one process is never followed by an older version read through another (the
tier is invalidated across processes over Redis pub/sub before the write answers), also while
readers race the writes; and stopping Redis under a bounded read load fails no request."""
import contextlib
import threading
import time

import pytest
import requests

from support.client import Api
from support.factory import create_customer, create_opportunity, create_skill, opp_path
from support import rand
from support.redis import RedisServer, start_cluster
from support.server import OmsServer, own_server


@pytest.fixture()
def redis(tmp_path):
    r = RedisServer(tmp_path / "redis").start()
    yield r
    r.stop()


def cache_args(redis):
    return ["--cache-url", redis.url, "--rate-limit-per-second", "0"]


@contextlib.contextmanager
def second_process(first, extra_args):
    """Another `oms serve` on the first one's database and data dir (so its tokens verify)."""
    other = OmsServer(first.binary, first.db.store, first.data_dir, extra_args=extra_args)
    other.db = first.db
    other.log_path = first.data_dir / "serve-2.log"
    try:
        other.start()
        yield other
    finally:
        assert other.stop() == 0, f"the second oms serve did not exit 0:\n{other.log_tail()}"


def metric(srv, name, openapi):
    text = Api(srv.base_url, openapi).get("/metrics", expect=200).text
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"{name} not in /metrics")


def callers(srv, openapi):
    sm_token = srv.token("SALES_MANAGER", str(rand.uuid4()), "Tier Manager", f"{rand.uuid4().hex[:8]}@example.com")
    admin_token = srv.token("ADMIN", str(rand.uuid4()), "Tier Admin", f"{rand.uuid4().hex[:8]}@example.com")
    return sm_token, admin_token


def test_a_write_through_one_process_is_read_through_the_other_never_older(
        oms_binary, store, openapi, tmp_path, redis):
    with own_server(oms_binary, store, tmp_path / "a", extra_args=cache_args(redis)) as a, \
            second_process(a, ["--cache-url", redis.url + "?max_connections=3", "--rate-limit-per-second", "0",
                               "--worker-in-serve", "false"]) as b:
        sm_token, admin_token = callers(a, openapi)
        sm_a, sm_b = Api(a.base_url, openapi, sm_token), Api(b.base_url, openapi, sm_token)
        opp = create_opportunity(sm_a, create_customer(sm_a)["id"])
        for _ in range(3):  # fills Redis and both tiers
            sm_a.get(opp_path(opp["id"]), expect=200)
            sm_b.get(opp_path(opp["id"]), expect=200)
        # Process b keeps the 3 Redis connections its URL asked for, none busy between requests.
        connections = {state: metric(b, f'cache_connections{{state="{state}"}}', openapi)
                       for state in ("in_use", "idle", "waiting")}
        assert connections == {"in_use": 0, "idle": 3, "waiting": 0}, connections
        hits_before = metric(b, "cache_local_hits_total", openapi)
        assert metric(b, "cache_local_tier_trusted", openapi) == 1
        for i in range(20):
            writer, reader = (sm_a, sm_b) if i % 2 == 0 else (sm_b, sm_a)
            written = writer.patch(opp_path(opp["id"]), json={"title": f"Title number {i}"}, expect=200).json
            got = reader.get(opp_path(opp["id"]), expect=200).json
            assert (got["version"], got["title"]) == (written["version"], written["title"]), i
            reader.get(opp_path(opp["id"]), expect=200)  # a tier hit from here on
        assert metric(b, "cache_local_hits_total", openapi) > hits_before, "process b's tier never answered"

        # The skills catalog: an admin's change through one process is listed by the other.
        admin_a, admin_b = Api(a.base_url, openapi, admin_token), Api(b.base_url, openapi, admin_token)
        names = lambda api: {s["name"] for s in api.get("/api/v1/skills", params={"limit": 100}, expect=200).json["items"]}
        before = names(admin_b)
        skill = create_skill(admin_a, name=f"Tiered {rand.uuid4().hex[:6]}")
        assert names(admin_b) == before | {skill["name"]}
        admin_b.patch(f"/api/v1/skills/{skill['id']}", json={"is_active": False}, expect=200)
        assert names(admin_a) == before

        # A user deactivated through one process is refused by the other at once (user:{id}).
        me = sm_b.get("/api/v1/me", expect=200).json
        admin_a.patch(f"/api/v1/users/{me['id']}", json={"is_active": False}, expect=200)
        sm_b.get("/api/v1/me", expect=403)
    assert a.exit_code == 0


def test_readers_racing_writes_through_another_process_never_see_an_older_version(
        oms_binary, store, openapi, tmp_path, redis):
    with own_server(oms_binary, store, tmp_path / "a", extra_args=cache_args(redis)) as a, \
            second_process(a, cache_args(redis) + ["--worker-in-serve", "false"]) as b:
        sm_token, _ = callers(a, openapi)
        sm_a = Api(a.base_url, openapi, sm_token)
        opp = create_opportunity(sm_a, create_customer(sm_a)["id"])
        path = opp_path(opp["id"])
        lock = threading.Lock()
        acknowledged = [(time.monotonic(), opp["version"])]  # (when the write's response arrived, version)
        observed = []  # (when the read was sent, version read)
        failures = []
        stop = threading.Event()

        def read_loop():
            api = Api(b.base_url, openapi, sm_token)
            for _ in range(3000):  # bounded in count
                if stop.is_set():
                    return
                sent = time.monotonic()
                try:
                    resp = api.get(path)
                    if resp.status != 200:
                        failures.append(resp.status)
                        continue
                    with lock:
                        observed.append((sent, resp.json["version"]))
                except Exception as e:  # noqa: BLE001 - any failure is counted
                    failures.append(repr(e))

        readers = [threading.Thread(target=read_loop) for _ in range(3)]
        for t in readers:
            t.start()
        try:
            for i in range(25):
                written = sm_a.patch(path, json={"title": f"Raced {i}"}, expect=200).json
                with lock:
                    acknowledged.append((time.monotonic(), written["version"]))
                time.sleep(0.01)
        finally:
            stop.set()
            for t in readers:
                t.join(timeout=60)
        assert not failures, failures[:5]
        assert len(observed) > 25
        # A read sent after a write's response arrived returns that version or a newer one.
        stale = [(sent, v) for sent, v in observed
                 if v < max(ver for at, ver in acknowledged if at <= sent)]
        assert not stale, f"{len(stale)} stale reads, e.g. {stale[:3]}"
        assert metric(b, "cache_local_hits_total", openapi) > 0
    assert a.exit_code == 0


def test_stopping_redis_under_load_fails_no_request_and_the_cache_comes_back(
        oms_binary, store, openapi, tmp_path, redis):
    with own_server(oms_binary, store, tmp_path / "a", extra_args=cache_args(redis)) as a:
        sm_token, _ = callers(a, openapi)
        sm = Api(a.base_url, openapi, sm_token)
        opp = create_opportunity(sm, create_customer(sm)["id"])
        path = opp_path(opp["id"])
        counts = {"ok": 0, "failed": []}
        lock = threading.Lock()
        stop = threading.Event()

        def read_loop():
            api = Api(a.base_url, openapi, sm_token)
            for _ in range(4000):  # bounded in count
                if stop.is_set():
                    return
                try:
                    resp = api.get(path)
                    ok = resp.status == 200 and resp.json["id"] == opp["id"]
                except Exception as e:  # noqa: BLE001
                    ok, resp = False, repr(e)
                with lock:
                    if ok:
                        counts["ok"] += 1
                    else:
                        counts["failed"].append(getattr(resp, "status", resp))

        readers = [threading.Thread(target=read_loop) for _ in range(3)]
        for t in readers:
            t.start()
        try:
            time.sleep(1.0)
            redis.stop()  # under load
            time.sleep(1.5)
            title = sm.patch(path, json={"title": "Written while Redis is down"}, expect=200).json["title"]
            assert sm.get(path, expect=200).json["title"] == title
            redis.start()  # same port
            time.sleep(1.5)
        finally:
            stop.set()
            for t in readers:
                t.join(timeout=60)
        assert counts["failed"] == [], counts["failed"][:5]
        assert counts["ok"] > 50
        deadline = time.monotonic() + 15  # the guard's backoff is at most 5 s
        state = None
        while time.monotonic() < deadline:
            sm.get(path, expect=200)
            state = Api(a.base_url, openapi).get("/health/ready", expect=200).json["checks"]["cache"]["status"]
            if state == "up":
                break
            time.sleep(0.2)
        assert state == "up"
        assert sm.get(path, expect=200).json["title"] == "Written while Redis is down"
    assert a.exit_code == 0


def test_stopping_the_redis_cluster_under_load_fails_no_request(oms_binary, store, openapi, tmp_path):
    """ElastiCache's shape: 2 shards with replicas. Every node stopped under a bounded read load:
    requests are served from the database, none fails; the cache reports down."""
    nodes = start_cluster(tmp_path / "cluster")
    try:
        args = ["--cache-url", nodes[0].url, "--rate-limit-per-second", "0"]
        with own_server(oms_binary, store, tmp_path / "a", extra_args=args) as a:
            sm_token, _ = callers(a, openapi)
            sm = Api(a.base_url, openapi, sm_token)
            opps = [create_opportunity(sm, create_customer(sm)["id"]) for _ in range(4)]
            for o in opps:  # cached, in both shards (the keys hash to slots of both)
                sm.get(opp_path(o["id"]), expect=200)
            keys = sum(int(n.cli("DBSIZE").strip()) for n in nodes[:2])
            assert keys >= 12, keys  # 3 keys per opportunity, plus user:{id}
            assert all(int(n.cli("DBSIZE").strip()) > 0 for n in nodes[:2]), "one shard holds nothing"
            counts = {"ok": 0, "failed": []}
            lock = threading.Lock()
            stop = threading.Event()

            def read_loop(k):
                api = Api(a.base_url, openapi, sm_token)
                for i in range(4000):  # bounded in count
                    if stop.is_set():
                        return
                    o = opps[(i + k) % len(opps)]
                    try:
                        resp = api.get(opp_path(o["id"]))
                        ok = resp.status == 200 and resp.json["id"] == o["id"]
                    except Exception as e:  # noqa: BLE001
                        ok, resp = False, repr(e)
                    with lock:
                        if ok:
                            counts["ok"] += 1
                        else:
                            counts["failed"].append(getattr(resp, "status", resp))

            readers = [threading.Thread(target=read_loop, args=(k,)) for k in range(3)]
            for t in readers:
                t.start()
            try:
                time.sleep(1.0)
                for n in nodes:  # the whole cluster, under load
                    n.stop()
                time.sleep(2.0)
                title = sm.patch(opp_path(opps[0]["id"]), json={"title": "Cluster is down"}, expect=200).json["title"]
                assert sm.get(opp_path(opps[0]["id"]), expect=200).json["title"] == title
                time.sleep(0.5)
            finally:
                stop.set()
                for t in readers:
                    t.join(timeout=60)
            assert counts["failed"] == [], counts["failed"][:5]
            assert counts["ok"] > 50
            ready = Api(a.base_url, openapi).get("/health/ready", expect=200).json
            assert ready["status"] == "ready" and ready["checks"]["cache"]["status"] == "down", ready
        assert a.exit_code == 0
    finally:
        for n in nodes:
            n.stop()


def test_an_erasure_by_a_separate_worker_ends_the_erased_users_cached_profile(
        oms_binary, store, openapi, tmp_path, redis):
    """The production shape: `oms serve` (with its in-process tier) and `oms worker` sharing Redis.
    The worker's erasure deactivates the person; the API's cached profile (15 minutes) must not
    keep letting them in."""
    import subprocess
    from support.server import free_port
    with own_server(oms_binary, store, tmp_path / "a",
                    extra_args=cache_args(redis) + ["--worker-in-serve", "false"]) as a:
        sm_id = str(rand.uuid4())
        sm = Api(a.base_url, openapi, a.token("SALES_MANAGER", sm_id, "Erased Person", f"{sm_id[:8]}@example.com"))
        admin = Api(a.base_url, openapi, callers(a, openapi)[1])
        for _ in range(3):  # the profile is cached (Redis and the API's tier)
            sm.get("/api/v1/opportunities", expect=200)
        request_id = admin.post(f"/api/v1/admin/data-subjects/{sm_id}/erase", expect=202).json["id"]
        log = open(a.data_dir / "worker.log", "ab")
        worker_port = free_port()
        worker = subprocess.Popen([str(oms_binary), "worker", *a.common_args(), *cache_args(redis),
                                   "--worker-port", str(worker_port), "--worker-poll-ms", "50"],
                                  stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            status = None
            while time.monotonic() < deadline:
                status = admin.get(f"/api/v1/exports/{request_id}", expect=200).json["status"]
                if status in ("COMPLETED", "FAILED"):
                    break
                time.sleep(0.2)
            assert status == "COMPLETED", status
            refused = sm.get("/api/v1/opportunities", expect=403).json
            assert "deactivated" in refused["detail"], refused
            # The worker's /metrics shows the cache it used (up, its Redis connections idle).
            text = requests.get(f"http://127.0.0.1:{worker_port}/metrics", timeout=10).text
            values = {line.split()[0]: float(line.split()[1]) for line in text.splitlines()
                      if line.startswith("cache_")}
            assert values.get("cache_up") == 1, text
            assert values.get('cache_connections{state="waiting"}') == 0, text
            assert values.get('cache_connections{state="in_use"}', -1) + \
                values.get('cache_connections{state="idle"}', -1) == 32, text
        finally:
            worker.terminate()
            assert worker.wait(timeout=40) == 0
            log.close()
