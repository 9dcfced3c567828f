#!/usr/bin/python3
"""A steady mixed load through the balancer, bounded in time, that remembers every acknowledged
write and checks them afterwards (used by deploy/local/failover).

    load.py URL TOKEN SECONDS THREADS OUT.json

Each thread loops: create an opportunity (POST, Idempotency-Key), change its title (PATCH,
If-Match), read it back (GET) and list the caller's opportunities. A GET right after the
PATCH's response must show at least that version (read-your-writes across the processes
behind the balancer); an older one counts as a stale read. Then every acknowledged opportunity
is read back: a missing one, or one older than its last acknowledged version, is a lost write.
Writes the figures as JSON to OUT.json. With OMS_LOAD_RATE set (requests per second, all threads
together), each thread paces its loop so the whole load stays at that rate (deploy/local/soak).

Like a client that keeps the API's contract, it sends a request again (at most twice) when the
connection dropped before any answer came, if repeating it is safe: a GET, a POST carrying its
Idempotency-Key (a create that did commit answers the repeat with the same opportunity), or a
PATCH carrying If-Match (the precondition keeps a repeat from applying twice). A repeated PATCH
refused with 412 may be refused because the first attempt did commit before its answer was lost:
the client reads the opportunity, and if it shows every field the PATCH set, that read is the
answer ("resolved_by_read"); otherwise the PATCH failed. A kill -9 drops the requests in flight
on that process; whether the balancer resends them itself depends on how far they had got. Such
repeats are counted ("retried") and are not failures."""
import json
import os
import sys
import threading
import time
import uuid

import requests

url, token, seconds, threads, out = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
headers = {"Authorization": f"Bearer {token}"}
lock = threading.Lock()
stats = {"requests": 0, "failed": 0, "stale_reads": 0, "retried": 0, "resolved_by_read": 0, "failures": []}
acked = {}  # id -> last acknowledged version


def customer_id():
    r = requests.get(f"{url}/api/v1/customers?limit=1", headers=headers, timeout=10)
    r.raise_for_status()
    return r.json()["items"][0]["id"]


def call(session, method, path, expect, **kw):
    with lock:
        stats["requests"] += 1
    extra = kw.pop("headers", {})
    conditional = method == "PATCH" and "If-Match" in extra
    repeatable = method == "GET" or (method == "POST" and "Idempotency-Key" in extra) or conditional
    for attempt in range(3):
        try:
            r = session.request(method, url + path, headers={**headers, **extra}, timeout=10, **kw)
            if r.status_code == expect:
                return r
            if conditional and attempt > 0 and r.status_code == 412:
                g = session.get(url + path, headers=headers, timeout=10)
                if g.status_code == 200 and all(g.json().get(k) == v for k, v in kw["json"].items()):
                    with lock:
                        stats["resolved_by_read"] += 1
                    return g
            failure = f"{method} {path.split('/')[3] if path.count('/') > 2 else path} -> {r.status_code} {r.text[:120]}"
        except requests.ConnectionError as e:  # dropped before an answer (or never connected)
            failure = f"{method} -> {type(e).__name__}: {str(e)[:120]}"
            if repeatable and attempt < 2:
                with lock:
                    stats["retried"] += 1
                time.sleep(0.1)
                continue
        except requests.RequestException as e:
            failure = f"{method} -> {type(e).__name__}: {str(e)[:120]}"
        break
    with lock:
        stats["failed"] += 1
        now = round(time.monotonic() - started, 2)
        stats.setdefault("first_failure_s", now)
        stats["last_failure_s"] = now
        if len(stats["failures"]) < 20:
            stats["failures"].append(f"{time.monotonic() - started:.2f}s {failure}")
    return None


rate = float(os.environ.get("OMS_LOAD_RATE", "0"))
# One loop is at most 4 requests; at `rate` requests/s over all threads, a thread starts a loop
# every 4 * threads / rate seconds.
period = 4.0 * threads / rate if rate > 0 else 0.0


def worker(cid, end):
    s = requests.Session()
    next_loop = time.monotonic()
    while time.monotonic() < end:
        if period:
            next_loop += period
            pause = next_loop - time.monotonic()
            if pause > 0:
                time.sleep(min(pause, max(0.0, end - time.monotonic())))
            if time.monotonic() >= end:
                break
        body = {"title": f"Load {uuid.uuid4().hex[:8]}", "description": "Failover drill.", "customer_id": cid,
                "priority": "HIGH", "annual_recurring_revenue": "1000.00", "currency": "USD",
                "geographic_requirements": {"region": "EMEA", "requires_physical_presence": False,
                                            "allows_remote_work": True}}
        r = call(s, "POST", "/api/v1/opportunities", 201, json=body, headers={"Idempotency-Key": uuid.uuid4().hex})
        if r is None:
            continue
        opp = r.json()
        with lock:
            acked[opp["id"]] = opp["version"]
        path = f"/api/v1/opportunities/{opp['id']}"
        r = call(s, "PATCH", path, 200, json={"title": body["title"] + " v2"}, headers={"If-Match": r.headers["ETag"]})
        if r is not None:
            version = r.json()["version"]
            with lock:
                acked[opp["id"]] = max(acked[opp["id"]], version)
            g = call(s, "GET", path, 200)
            if g is not None and g.json()["version"] < version:
                with lock:
                    stats["stale_reads"] += 1
        call(s, "GET", "/api/v1/opportunities?limit=5", 200)


started = time.monotonic()
cid = customer_id()
end = started + seconds
pool = [threading.Thread(target=worker, args=(cid, end)) for _ in range(threads)]
for t in pool:
    t.start()
for t in pool:
    t.join()

# Read back every acknowledged write (retrying a transient failure a few times, bounded).
lost = []
s = requests.Session()
for oid, version in acked.items():
    got = None
    for _ in range(5):
        try:
            r = s.get(f"{url}/api/v1/opportunities/{oid}", headers=headers, timeout=10)
            if r.status_code in (200, 404):
                got = r
                break
        except requests.RequestException:
            pass
        time.sleep(0.2)
    if got is None or got.status_code != 200 or got.json()["version"] < version:
        lost.append(oid)
stats.update({"acknowledged_writes": len(acked), "lost_writes": len(lost), "seconds": round(time.monotonic() - started, 1)})
stats["failed_percent"] = round(100.0 * stats["failed"] / max(1, stats["requests"]), 3)
with open(out, "w") as f:
    json.dump(stats, f, indent=1)
print(json.dumps({k: v for k, v in stats.items() if k != "failures"}))
