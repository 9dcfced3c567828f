"""The HTTP edge against hostile and unlucky clients (issue 7): the exact bytes over raw sockets.

Framing that two parties could read differently (RFC 9112 §6.1, §6.3) is answered 400 and the
connection closed, so a body can never run as a second request; deadlines are answered 408 where
an answer can still be sent; a connection cap answers 503; accept errors back off; invalid UTF-8
is never echoed; memory comes back after a connection storm. Deadlines use small configured
values (seconds), and nothing asserts on elapsed time."""
import json
import os
import re
import resource
import select
import socket
import sqlite3
import time
import uuid

import pytest

from support.factory import customer_body
from support.server import own_server, sanitized

k_io_timeout_s = 15  # a bound on every socket read, never an assertion


def exchange(port, data, pause=None, rest=b""):
    """Sends `data` (then `rest` after `pause` seconds) and reads until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=k_io_timeout_s) as s:
        s.sendall(data)
        if pause is not None:
            time.sleep(pause)
            if rest:
                s.sendall(rest)
        return read_to_close(s)


def read_to_close(s):
    out = b""
    while True:
        try:
            chunk = s.recv(65536)
        except ConnectionResetError:
            break
        if not chunk:
            break
        out += chunk
    return out


def responses(raw):
    """Status codes of every response in `raw` (bodies skipped by Content-Length)."""
    codes = []
    while raw:
        head, sep, rest = raw.partition(b"\r\n\r\n")
        assert sep, f"an incomplete response: {raw[:300]!r}"
        status = re.match(rb"HTTP/1\.1 (\d{3}) ", head)
        assert status, f"not an HTTP/1.1 status line: {head[:100]!r}"
        length = re.search(rb"(?im)^content-length:\s*(\d+)\s*$", head)
        size = int(length.group(1)) if length else 0
        codes.append(int(status.group(1)))
        raw = rest[size:]
    return codes


def problem_of(raw):
    head, _, body = raw.partition(b"\r\n\r\n")
    assert b"application/problem+json" in head.lower(), head
    return json.loads(body.decode("utf-8"))


def only_answer(raw, status, code):
    """Exactly one response, with this status and problem code, then the connection closed."""
    assert responses(raw) == [status], raw[:600]
    assert b"connection: close" in raw.lower().split(b"\r\n\r\n", 1)[0], raw[:600]
    assert problem_of(raw)["code"] == code, raw[:600]


k_smuggled = b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"

k_refused_framing = {
    # The issue's probe: a Transfer-Encoding that does not end in chunked.
    "te-xchunked": b"POST /api/v1/opportunities HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                   b"Transfer-Encoding: xchunked\r\n\r\n" + k_smuggled,
    "te-gzip": b"POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n" + k_smuggled,
    "te-identity": b"POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\n" + k_smuggled,
    "te-chunked-identity": b"POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n"
                          + k_smuggled,
    "te-gzip-chunked": b"POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"
                       + k_smuggled,
    "te-twice": b"POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"
                b"\r\n0\r\n\r\n" + k_smuggled,
    "te-in-http10": b"POST /health HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + k_smuggled,
    "te-and-cl": b"POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                 b"0\r\n\r\n" + k_smuggled,
    "cl-and-te": b"POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"
                 b"0\r\n\r\n" + k_smuggled,
    "obs-fold": b"GET /health HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n",
    "obs-fold-tab": b"GET /health HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n\tb\r\n\r\n",
    "space-before-first-field": b"GET /health HTTP/1.1\r\n Host: x\r\n\r\n",
    "cl-plus": b"POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: +5\r\n\r\nhello",
    "cl-minus": b"POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\nhello",
    "cl-inner-space": b"POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 1 0\r\n\r\nhello",
    "cl-list": b"POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5\r\n\r\nhello",
    "cl-duplicate": b"POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
    "cl-conflict": b"POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
    "cl-hex": b"POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 0x5\r\n\r\nhello",
    "chunk-size-not-hex": b"POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"
                          + k_smuggled,
    "chunk-size-negative": b"POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n"
                           b"0\r\n\r\n" + k_smuggled,
    "chunk-size-overflow": b"POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                           b"fffffffffffffffff1\r\nhello\r\n0\r\n\r\n" + k_smuggled,
    "chunk-missing-crlf": b"POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloX\r\n"
                          b"0\r\n\r\n" + k_smuggled,
    "no-host-http11": b"GET /health HTTP/1.1\r\nConnection: close\r\n\r\n",
    "two-hosts": b"GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    "absolute-form-userinfo": b"GET http://user@x/health HTTP/1.1\r\nHost: x\r\n\r\n",
    "absolute-form-no-authority": b"GET http:///health HTTP/1.1\r\nHost: x\r\n\r\n",
}


@pytest.mark.parametrize("name", sorted(k_refused_framing))
def test_ambiguous_framing_is_refused_with_400_and_close(server, name):
    raw = exchange(server.port, k_refused_framing[name])
    only_answer(raw, 400, "VALIDATION_ERROR")
    assert b'"status":"ok"' not in raw, "the body ran as a second request"


def test_the_issue_probe_answers_once(server):
    """The issue's exact bytes: before the fix 401 then 200 (the body ran as a request)."""
    probe = (b"POST /api/v1/opportunities HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
             b"Transfer-Encoding: xchunked\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert responses(exchange(server.port, probe)) == [400]


def test_valid_chunked_body_and_keep_alive_still_work(server):
    raw = exchange(server.port,
                   b"POST /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
                   b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert responses(raw) == [405, 200], raw[:800]


def test_absolute_form_target_is_served_as_its_path(server):
    raw = exchange(server.port, b"GET http://x/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert responses(raw) == [200] and raw.endswith(b'{"status":"ok"}'), raw[:600]
    # An empty path is "/" (RFC 9112 3.2.2), which is the web page.
    raw = exchange(server.port, b"GET HTTP://x:8000?probe=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert responses(raw) == [200] and b"Content-Type: text/html" in raw, raw[:600]


def test_http10_without_host_is_served(server):
    raw = exchange(server.port, b"GET /health HTTP/1.0\r\n\r\n")
    assert responses(raw) == [200], raw[:600]


def test_invalid_utf8_is_never_echoed(server):
    raw = exchange(server.port, b"GET /nope/%FF%C3%28 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert responses(raw) == [404], raw[:600]
    body = raw.split(b"\r\n\r\n", 1)[1]
    problem = json.loads(body.decode("utf-8"))  # strict: raises on invalid UTF-8
    assert problem["code"] == "NOT_FOUND"
    assert b"\xff" not in body
    request_id = problem["request_id"]
    for _ in range(50):  # the log is written by a background thread
        lines = [line for line in server.log_path.read_bytes().splitlines() if request_id.encode() in line]
        if lines:
            break
        time.sleep(0.1)
    assert lines, "no access-log line for the request"
    for line in lines:
        json.loads(line.decode("utf-8"))
        assert b"\xff" not in line


def test_deadlines_answer_408_and_idle_connections_close(oms_binary, store, tmp_path_factory):
    args = ["--header-timeout-seconds", "1", "--body-timeout-seconds", "1", "--idle-timeout-seconds", "1"]
    with own_server(oms_binary, store, tmp_path_factory.mktemp("oms-edge-deadlines"), extra_args=args) as srv:
        # A header that never ends.
        raw = exchange(srv.port, b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        only_answer(raw, 408, "REQUEST_TIMEOUT")
        assert "header" in problem_of(raw)["detail"]
        # A body that never ends.
        raw = exchange(srv.port, b"POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nab")
        only_answer(raw, 408, "REQUEST_TIMEOUT")
        assert "body" in problem_of(raw)["detail"]
        # A connection that never sends anything is closed without an answer.
        assert exchange(srv.port, b"") == b""
        # An idle keep-alive connection is closed after its answer, without another.
        raw = exchange(srv.port, b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
        assert responses(raw) == [200], raw[:600]


def test_a_keep_alive_connection_waits_its_idle_deadline_not_the_header_one(oms_binary, store, tmp_path_factory):
    """Between requests a connection has the idle deadline (here 4 s), not the header deadline of
    the request before (1 s): a second request after 2 s is served; after the idle deadline the
    connection is closed without an answer."""
    args = ["--header-timeout-seconds", "1", "--idle-timeout-seconds", "4"]
    request = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
    with own_server(oms_binary, store, tmp_path_factory.mktemp("oms-edge-idle"), extra_args=args) as srv:
        with socket.create_connection(("127.0.0.1", srv.port), timeout=k_io_timeout_s) as s:
            for _ in range(2):
                s.sendall(request)
                assert s.recv(65536).startswith(b"HTTP/1.1 200")
                time.sleep(2)  # past the header deadline, within the idle one
            s.sendall(request)
            assert s.recv(65536).startswith(b"HTTP/1.1 200")
            started = time.monotonic()
            assert read_to_close(s) == b""  # closed at the idle deadline, with nothing written
            assert time.monotonic() - started >= 3, "closed before the idle deadline"


def test_a_body_below_the_minimum_rate_gets_408(oms_binary, store, tmp_path_factory):
    args = ["--min-transfer-rate", "100000", "--body-timeout-seconds", "60"]
    with own_server(oms_binary, store, tmp_path_factory.mktemp("oms-edge-rate"), extra_args=args) as srv:
        raw = exchange(srv.port, b"POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nab")
        only_answer(raw, 408, "REQUEST_TIMEOUT")
        assert "slower than 100000 bytes/s" in problem_of(raw)["detail"]


def _log_lines(srv, needle):
    return [line for line in srv.log_path.read_bytes().splitlines() if needle in line]


def _wait_for_log_line(srv, needle, timeout_s=15.0):
    """Polls the server's log until a line holds `needle` (True), or the deadline passes (False)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if _log_lines(srv, needle):
            return True
        time.sleep(0.05)
    return bool(_log_lines(srv, needle))


def test_connection_cap_answers_503_and_logs_once(oms_binary, store, tmp_path_factory):
    with own_server(oms_binary, store, tmp_path_factory.mktemp("oms-edge-cap"),
                    extra_args=["--max-connections", "3"]) as srv:
        held = []
        try:
            # Hold three served keep-alive connections (the start-up probe's may still count).
            for _ in range(20):
                if len(held) == 3:
                    break
                s = socket.create_connection(("127.0.0.1", srv.port), timeout=k_io_timeout_s)
                ready, _, _ = select.select([s], [], [], 0.3)
                if ready:  # refused at once: the start-up probe's connection still counted
                    only_answer(read_to_close(s), 503, "OVERLOADED")
                    s.close()
                    continue
                s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                assert s.recv(65536).startswith(b"HTTP/1.1 200")
                held.append(s)
            assert len(held) == 3
            for _ in range(5):
                raw = exchange(srv.port, b"")  # the answer comes without a request
                only_answer(raw, 503, "OVERLOADED")
                assert b"retry-after: 1" in raw.lower()
            # The connections already open keep working.
            for s in held:
                s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                assert s.recv(65536).startswith(b"HTTP/1.1 200")
        finally:
            for s in held:
                s.close()
        for _ in range(50):
            lines = _log_lines(srv, b"connection cap of 3 reached")
            if lines:
                break
            time.sleep(0.1)
        assert 1 <= len(lines) < 5, lines  # once per interval, not once per refusal


def test_accept_errors_back_off_and_recover(oms_binary, store, tmp_path_factory):
    """Out of descriptors: the accept loop waits instead of spinning and logging every attempt,
    and serves again once descriptors are free."""
    with own_server(oms_binary, store, tmp_path_factory.mktemp("oms-edge-emfile"),
                    # The accept loop alone; the worker's side of EMFILE has its own test below.
                    extra_args=["--max-connections", "100000", "--worker-in-serve", "false"]) as srv:
        resource.prlimit(srv.proc.pid, resource.RLIMIT_NOFILE, (96, 96))
        sockets = []
        try:
            for _ in range(150):  # more than the server's descriptors: the backlog absorbs the rest
                sockets.append(socket.create_connection(("127.0.0.1", srv.port), timeout=k_io_timeout_s))
            time.sleep(1.5)  # let the server hit EMFILE for a while
            lines = _log_lines(srv, b"accept failed")
            assert 1 <= len(lines) <= 3, lines[:5]
        finally:
            for s in sockets:
                s.close()
        # Descriptors free again: a new client is served (the back-off is at most 1 s).
        raw = exchange(srv.port, b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert responses(raw) == [200], raw[:300]


def test_the_in_process_worker_survives_descriptor_exhaustion(oms_binary, store, tmp_path_factory):
    """Out of descriptors with the worker in the process: its periodic tasks (outbox relay, queue
    depth, retention) fail while new database connections cannot be opened, and carry on
    afterwards; the process neither dies nor stops serving."""
    if sanitized(oms_binary):
        # UBSan's vptr check cannot run out of descriptors: on a type it has not seen yet it probes
        # the vtable's memory through a pipe(), which EMFILE refuses, and reports "invalid vptr ...
        # memory cannot be printed" at the first `catch (const std::exception&)` of a new type,
        # valid code or not (a 15-line program shows it; ../shared/design/toolchain.md). The
        # release pass of the test command runs this test.
        pytest.skip("UBSan's vptr check reports a false positive when descriptors are exhausted")
    direct_postgres = store == "postgres" and not os.environ.get("OMS_TEST_POSTGRES_POOLED")
    with own_server(oms_binary, store, tmp_path_factory.mktemp("oms-edge-emfile-worker"),
                    extra_args=["--max-connections", "100000"]) as srv:
        resource.prlimit(srv.proc.pid, resource.RLIMIT_NOFILE, (96, 96))
        sockets = []
        try:
            for _ in range(150):
                sockets.append(socket.create_connection(("127.0.0.1", srv.port), timeout=k_io_timeout_s))
            # Connections complete in the kernel's backlog; the server is out of descriptors only once
            # its accept loop has taken enough of them and failed. Before that, a worker that lost its
            # connection could still open a new one.
            assert _wait_for_log_line(srv, b"accept failed"), srv.log_path.read_text(errors="replace")[-3000:]
            if direct_postgres:
                # The pool may already hold every connection the worker needs (how many it has opened
                # by now is timing): end them, so the worker must open new ones while it cannot.
                srv.db.psql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                            f"WHERE datname = '{srv.db.name}' AND pid <> pg_backend_pid()", url=srv.db.admin_url)
                # The worker's next claim (every 500 ms) needs a new connection, and cannot open one.
                assert _wait_for_log_line(srv, b"claiming a job failed"), \
                    srv.log_path.read_text(errors="replace")[-3000:]
            time.sleep(3.0)  # several more ticks of the worker's periodic tasks while out of descriptors
            assert srv.proc.poll() is None, srv.log_path.read_text(errors="replace")[-3000:]
        finally:
            for s in sockets:
                s.close()
        time.sleep(2.0)  # the worker's next ticks, with descriptors free again
        raw = exchange(srv.port, b"GET /health/ready HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert responses(raw) == [200], raw[:300]
        assert srv.proc.poll() is None
        # Every worker slot fails alike: one line per interval (10 s), not one per slot and attempt.
        # (On SQLite the store's file is already open, and behind PgBouncer oms's connections to it
        # stay open, so only a direct PostgreSQL's new connections fail.)
        claims = _log_lines(srv, b"claiming a job failed")
        assert (1 if direct_postgres else 0) <= len(claims) <= 2, claims
        assert len(_log_lines(srv, b"periodic worker task failed")) <= 2
    assert srv.exit_code == 0, srv.log_path.read_text(errors="replace")[-3000:]


def _held_kib(pid):
    """The memory the process holds: its RSS less the pages it has handed back with MADV_FREE
    (LazyFree), which the kernel takes whenever it needs them and which stay counted in RSS until it
    does. mimalloc's page reset hands freed pages back that way (src/cli/allocator.hpp)."""
    fields = {}
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            name, _, rest = line.partition(":")
            if name in ("Rss", "LazyFree"):
                fields[name] = int(rest.split()[0])
    if "Rss" not in fields or "LazyFree" not in fields:
        raise AssertionError(f"no Rss or LazyFree in /proc/{pid}/smaps_rollup")
    return fields["Rss"] - fields["LazyFree"]


def _rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_memory_returns_after_a_connection_storm(oms_binary, store, tmp_path_factory):
    if sanitized(oms_binary):
        # ASan holds freed memory in its quarantine by design, so RSS cannot come back; the
        # release pass of the test command measures it.
        pytest.skip("AddressSanitizer build: freed memory stays in ASan's quarantine")
    count = 5000
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < count + 200:
        assert hard >= count + 200, f"the descriptor hard limit {hard} is too low for {count} connections"
        resource.setrlimit(resource.RLIMIT_NOFILE, (count + 200, hard))
    with own_server(oms_binary, store, tmp_path_factory.mktemp("oms-edge-storm")) as srv:
        for _ in range(20):  # warm up the allocator and the pools
            exchange(srv.port, b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        before = _held_kib(srv.proc.pid)
        sockets = []
        try:
            for i in range(count):
                s = socket.create_connection(("127.0.0.1", srv.port), timeout=k_io_timeout_s)
                sockets.append(s)
                if i % 5 == 0:  # some have had a request answered, the others stay silent
                    s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            for s in sockets[::5]:
                assert s.recv(65536).startswith(b"HTTP/1.1 200")
            peak = _held_kib(srv.proc.pid)
        finally:
            for s in sockets:
                s.close()
        after = peak
        for _ in range(100):  # until the server has unwound the sessions (bounded)
            exchange(srv.port, b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            after = _held_kib(srv.proc.pid)
            if after <= before + min(8 * 1024, (peak - before) / 2):
                break
            time.sleep(0.1)
        # Generous: within 8 MiB of where it started, and at least half of the storm's growth returned.
        message = (f"RSS less LazyFree {before} KiB -> {peak} KiB with {count} connections -> {after} KiB after"
                   f" (RSS {_rss_kib(srv.proc.pid)} KiB)")
        assert after <= before + 8 * 1024, message
        assert after - before <= (peak - before) / 2, message
    # The allocator hands freed pages back from a storm's start until it has passed
    # (cli/allocator.hpp): one start and one end, however many threads saw the count fall.
    assert len(_log_lines(srv, b"connections open: a connection storm")) == 1, srv.log_path.read_text()[-3000:]
    assert len(_log_lines(srv, b"the storm has passed")) == 1, srv.log_path.read_text()[-3000:]


def test_ready_gives_a_coarse_answer_only(api):
    body = api(None).get("/health/ready", expect=200).json
    assert body == {"status": "ready", "checks": {"database": {"status": "up"}, "cache": {"status": "up"}}}, body


def test_a_write_whose_client_left_while_waiting_is_not_begun(oms_binary, store, tmp_path_factory):
    """The client leaves while its create waits for the database; the create must not run. A retry
    with the same Idempotency-Key then creates it once."""
    if store != "sqlite":
        pytest.skip("holds the SQLite write lock from outside; the PostgreSQL path is the same code")
    with own_server(oms_binary, store, tmp_path_factory.mktemp("oms-edge-gone")) as srv:
        token = srv.token("SALES_MANAGER", str(uuid.uuid4()), "Gone Client", "gone@example.com")
        warm = (f"GET /api/v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
                f"Connection: close\r\n\r\n").encode()
        assert responses(exchange(srv.port, warm)) == [200]
        body = customer_body()
        payload = json.dumps(body).encode()
        key = str(uuid.uuid4())
        request = (f"POST /api/v1/customers HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
                   f"Content-Type: application/json\r\nIdempotency-Key: {key}\r\n"
                   f"Content-Length: {len(payload)}\r\n\r\n").encode() + payload
        lock = sqlite3.connect(str(srv.db.sqlite_path), timeout=10, isolation_level=None)
        try:
            lock.execute("BEGIN IMMEDIATE")  # the server's write now waits
            s = socket.create_connection(("127.0.0.1", srv.port), timeout=k_io_timeout_s)
            s.sendall(request)
            time.sleep(0.5)
            s.close()  # the client gives up
            time.sleep(0.3)
        finally:
            lock.execute("ROLLBACK")
            lock.close()
        # Wait (bounded) for the server to log the abandoned request, then check nothing was written.
        for _ in range(100):
            if _log_lines(srv, b'"status":499'):
                break
            time.sleep(0.1)
        assert _log_lines(srv, b'"status":499'), srv.log_tail()
        check = sqlite3.connect(str(srv.db.sqlite_path))
        try:
            assert check.execute("SELECT count(*) FROM customers WHERE name = ?", (body["name"],)).fetchone()[0] == 0
        finally:
            check.close()
        raw = exchange(srv.port, request[:-len(payload)].replace(b"HTTP/1.1\r\n", b"HTTP/1.1\r\nConnection: close\r\n", 1)
                       + payload)
        assert responses(raw) == [201], raw[:600]
