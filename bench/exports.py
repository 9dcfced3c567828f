"""The export benchmark (bench/exports.sh): BENCH_EXPORT_ROWS [100000] opportunities, loaded with
SQL (bench/data.py, root rows only: an export reads no parts), exported by one `oms worker`
process (`oms serve` runs without its in-process worker) as CSV and as JSON Lines, on SQLite and,
when BENCH_PG_URL (or OMS_TEST_POSTGRES_URL) names a PostgreSQL server, on PostgreSQL too (a fresh
database there, dropped afterwards). For each: the seconds from the POST to the moment GET shows
COMPLETED (polled every 20 ms; the worker polls its queue every --worker-poll-ms, 100 here), the
size of the result, and the worker's RSS sampled every 20 ms before, during and after (a flat
line means constant memory). Prints the machine load (uptime) before and after: other work on
the machine slows the figures. A benchmark, not a test: it asserts only that every row arrived.

  BENCH_EXPORT_ROWS [100000]  BENCH_PG_URL [none]  BENCH_OMS [build/release/oms]
  BENCH_EXPORT_STORES [sqlite,postgres]  BENCH_EXPORT_FORMATS [csv,json]
"""
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
import data  # noqa: E402
from procs import free_port  # noqa: E402

ROWS = int(os.environ.get("BENCH_EXPORT_ROWS", "100000"))
OMS = Path(os.environ.get("BENCH_OMS", str(ROOT / "build" / "release" / "oms")))
PG_URL = os.environ.get("BENCH_PG_URL") or os.environ.get("OMS_TEST_POSTGRES_URL")
STORES = os.environ.get("BENCH_EXPORT_STORES", "sqlite,postgres").split(",")
FORMATS = os.environ.get("BENCH_EXPORT_FORMATS", "csv,json").split(",")
SAMPLE_S = 0.02
LIMIT_S = 300  # give up on one export after this long


def oms(*args):
    return subprocess.run([str(OMS), *args], check=True, capture_output=True, text=True).stdout


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def call(method, url, token, body=None):
    req = urllib.request.Request(url, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())


def wait_http(url, proc, what):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{what} exited {proc.returncode}")
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{what} did not answer {url}")


def uptime():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def measure(store, db_url, workdir):
    data_dir = workdir / store
    common = ["--data-dir", str(data_dir), "--database-url", db_url]
    port, worker_port = free_port(), free_port()
    log = open(data_dir / "serve.log", "ab")
    wlog = open(data_dir / "worker.log", "ab")
    serve = subprocess.Popen([str(OMS), "serve", "--profile", "embedded", *common, "--address", "127.0.0.1",
                              "--port", str(port), "--worker-in-serve", "false", "--rate-limit-per-second", "0"],
                             stdout=log, stderr=subprocess.STDOUT)
    worker = subprocess.Popen([str(OMS), "worker", "--profile", "embedded", *common, "--address", "127.0.0.1",
                               "--worker-port", str(worker_port), "--worker-poll-ms", "100"],
                              stdout=wlog, stderr=subprocess.STDOUT)
    results = []
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/health", serve, "oms serve")
        wait_http(f"http://127.0.0.1:{worker_port}/health", worker, "oms worker")
        token = oms("token", "--role", "SALES_MANAGER", "--sub", "sm-1",
                    "--name", "Sam Seller", "--email", "sm-1@example.com", "--data-dir", str(data_dir)).strip()
        call("GET", base + "/api/v1/me", token)
        for fmt in FORMATS:
            time.sleep(0.5)
            idle = rss_kib(worker.pid)
            samples = []
            t0 = time.monotonic()
            e = call("POST", base + "/api/v1/exports", token, {"format": fmt})
            while True:
                samples.append(rss_kib(worker.pid))
                state = call("GET", f"{base}/api/v1/exports/{e['id']}", token)
                if state["status"] in ("COMPLETED", "FAILED"):
                    break
                if time.monotonic() - t0 > LIMIT_S:
                    raise SystemExit(f"export not finished after {LIMIT_S} s: {state}")
                time.sleep(SAMPLE_S)
            seconds = time.monotonic() - t0
            time.sleep(0.5)
            after = rss_kib(worker.pid)
            if state["status"] != "COMPLETED":
                raise SystemExit(f"export failed: {state}")
            with urllib.request.urlopen(state["download_url"], timeout=120) as resp:
                body = resp.read()
            # One line a row (this data has no line breaks inside fields); CSV has a header row.
            lines = body.count(b"\n") - (1 if fmt == "csv" else 0)
            assert state["rows_done"] == ROWS and lines == ROWS, (state["rows_done"], lines)
            # Every opportunity exactly once across the keyset pages (the id is the first field).
            rows = body.split(b"\n")[1 if fmt == "csv" else 0:-1]
            ids = {r[:36] if fmt == "csv" else r[7:43] for r in rows}
            assert len(ids) == ROWS, f"{len(ids)} distinct ids in {ROWS} rows"
            results.append({"store": store, "format": fmt, "rows": state["rows_done"], "seconds": round(seconds, 2),
                            "bytes": len(body), "rss_idle_mib": round(idle / 1024, 1),
                            "rss_peak_mib": round(max(samples) / 1024, 1), "rss_after_mib": round(after / 1024, 1),
                            "rss_samples": len(samples)})
            print(json.dumps(results[-1]), flush=True)
    finally:
        for p in (worker, serve):
            p.terminate()
        for p in (worker, serve):
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        log.close()
        wlog.close()
    return results


def main():
    if not OMS.is_file():
        raise SystemExit(f"{OMS} is missing: bash scripts/build.sh release")
    print("load before:", uptime(), flush=True)
    workdir = Path(tempfile.mkdtemp(prefix="oms-bench-exports-"))
    results = []
    pg_db = None
    try:
        if "sqlite" in STORES:
            (workdir / "sqlite").mkdir()
            url = f"sqlite://{workdir / 'sqlite' / 'oms.db'}"
            oms("migrate", "--data-dir", str(workdir / "sqlite"), "--database-url", url)
            oms("seed", "--data-dir", str(workdir / "sqlite"), "--database-url", url)
            t = time.monotonic()
            data.load_sqlite(str(workdir / "sqlite" / "oms.db"), ROWS, OMS, root_only=True)
            print(f"sqlite: {ROWS} opportunities loaded in {time.monotonic() - t:.1f} s", flush=True)
            results += measure("sqlite", url, workdir)
        if "postgres" in STORES and PG_URL:
            (workdir / "postgres").mkdir()
            pg_db = f"oms_bench_exports_{secrets.token_hex(4)}"
            subprocess.run(["psql", PG_URL, "-X", "-q", "-c", f"CREATE DATABASE {pg_db}"], check=True)
            parts = urllib.parse.urlsplit(PG_URL)
            url = urllib.parse.urlunsplit(parts._replace(path="/" + pg_db))
            oms("migrate", "--data-dir", str(workdir / "postgres"), "--database-url", url)
            oms("seed", "--data-dir", str(workdir / "postgres"), "--database-url", url)
            t = time.monotonic()
            subprocess.run(["psql", url, "-X", "-q", "-v", "ON_ERROR_STOP=1"], input=data.postgres_sql(ROWS, True),
                           text=True, check=True, capture_output=True)
            print(f"postgres: {ROWS} opportunities loaded in {time.monotonic() - t:.1f} s", flush=True)
            results += measure("postgres", url, workdir)
        elif "postgres" in STORES:
            print("postgres: skipped (set BENCH_PG_URL or OMS_TEST_POSTGRES_URL)")
    finally:
        if pg_db:
            subprocess.run(["psql", PG_URL, "-X", "-q", "-c", f"DROP DATABASE IF EXISTS {pg_db} WITH (FORCE)"])
        shutil.rmtree(workdir, ignore_errors=True)
    print("load after:", uptime())
    print(f"\n{'store':9} {'format':6} {'rows':>7} {'s to COMPLETED':>15} {'MiB':>7} {'RSS idle/peak/after MiB':>24}")
    for r in results:
        print(f"{r['store']:9} {r['format']:6} {r['rows']:>7} {r['seconds']:>15} {r['bytes'] / 2**20:>7.1f} "
              f"{r['rss_idle_mib']:>8}/{r['rss_peak_mib']}/{r['rss_after_mib']}")


if __name__ == "__main__":
    main()
