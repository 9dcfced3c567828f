"""SIGTERM: the server stops accepting, finishes what it has, and exits 0. (The session server's
own SIGTERM exit code is checked again when the session ends.)"""
import json
import signal
import socket
import time

from support.client import Api
from support.factory import customer_body
from support.server import own_server
from support import rand


def test_sigterm_exits_zero_and_closes_the_port(oms_binary, store, tmp_path_factory, openapi):
    with own_server(oms_binary, store, tmp_path_factory.mktemp("oms-shutdown")) as srv:
        token = srv.token("ADMIN", str(rand.uuid4()), "Shutdown Admin", "down@example.com")
        Api(srv.base_url, openapi, token).get("/api/v1/me", expect=200)
        code = srv.stop()
        assert code == 0, f"exit code {code} on SIGTERM:\n{srv.log_tail()}"
        with socket.socket() as s:
            s.settimeout(1)
            assert s.connect_ex(("127.0.0.1", srv.port)) != 0, "still accepting after exit"


def test_sigterm_with_an_idle_keep_alive_connection(oms_binary, store, tmp_path_factory, openapi):
    """An open but idle keep-alive connection must not hold the shutdown beyond its grace."""
    with own_server(oms_binary, store, tmp_path_factory.mktemp("oms-shutdown-idle"),
                    extra_args=["--shutdown-grace-seconds", "5"]) as srv:
        client = Api(srv.base_url, openapi)
        client.get("/health", expect=200)  # the session keeps this connection open
        code = srv.stop()
        assert code == 0, f"exit code {code} on SIGTERM:\n{srv.log_tail()}"


def test_sigterm_finishes_a_request_in_flight(oms_binary, store, tmp_path_factory, openapi):
    """A request whose body is still arriving when SIGTERM comes is finished and answered; new
    connections are refused meanwhile; then the process exits 0."""
    with own_server(oms_binary, store, tmp_path_factory.mktemp("oms-shutdown-inflight"),
                    extra_args=["--shutdown-grace-seconds", "10"]) as srv:
        token = srv.token("SALES_MANAGER", str(rand.uuid4()), "In Flight", "inflight@example.com")
        Api(srv.base_url, openapi, token).get("/api/v1/me", expect=200)
        body = json.dumps(customer_body()).encode()
        head = (f"POST /api/v1/customers HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
        with socket.create_connection(("127.0.0.1", srv.port), timeout=10) as s:
            s.sendall(head + body[:10])
            time.sleep(0.5)  # the server has read the header: the request is in flight
            srv.proc.send_signal(signal.SIGTERM)
            time.sleep(0.5)
            assert srv.proc.poll() is None, f"exited with a request in flight:\n{srv.log_tail()}"
            with socket.socket() as probe:
                probe.settimeout(1)
                assert probe.connect_ex(("127.0.0.1", srv.port)) != 0, "still accepting while draining"
            s.sendall(body[10:])
            answer = _read_response(s)
        status_line = answer.split(b"\r\n", 1)[0]
        assert status_line.startswith(b"HTTP/1.1 201"), answer[:500]
        assert b"x-request-id:" in answer.lower()
        assert srv.proc.wait(timeout=30) == 0, srv.log_tail()


def _read_response(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    return head + b"\r\n\r\n" + rest
