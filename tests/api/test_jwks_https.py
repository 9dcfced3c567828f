"""In production the service fetches the identity provider's keys (JWKS) over HTTPS at start-up:
the certificate must chain to a trusted root (here a test CA, given as SSL_CERT_FILE, which
OpenSSL's default trust store reads) and name the URL's host or address; a name is sent as the TLS
server name (SNI), an address is not (RFC 6066)."""
import http.server
import ssl
import subprocess
import threading

import pytest

from support.client import Api
from support.server import OmsServer, own_server, run_cli


def _openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def test_ca(tmp_path_factory):
    """A CA of the test's own (ca.pem), and a function that issues it a server certificate."""
    d = tmp_path_factory.mktemp("jwks-ca")
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
             "-subj", "/CN=oms test CA", cwd=d)

    def issue(name, san):
        (d / f"{name}.ext").write_text(f"subjectAltName={san}\n")
        _openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", f"{name}.key", "-out", f"{name}.csr",
                 "-subj", f"/CN={name}", cwd=d)
        _openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                 "-out", f"{name}.pem", "-days", "2", "-extfile", f"{name}.ext", cwd=d)
        return d / f"{name}.pem", d / f"{name}.key"

    return d / "ca.pem", issue


class JwksOverHttps:
    """Serves one JWKS document at /jwks.json over TLS on 127.0.0.1; records each request's
    server name (None when the client sent none)."""

    def __init__(self, jwks, cert, key):
        self.server_names = []
        self.requests = 0
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the base class's name)
                outer.requests += 1
                body = jwks if self.path == "/jwks.json" else b"{}"
                self.send_response(200 if self.path == "/jwks.json" else 404)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert, key)
        context.sni_callback = lambda sock, name, ctx: self.server_names.append(name)
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def _local_key(oms_binary, data_dir):
    """A token from `oms token`, which makes the local signing key, and the key's JWKS."""
    data_dir.mkdir()
    token = run_cli(oms_binary, ["token", "--role", "ADMIN", "--data-dir", str(data_dir)]).strip()
    return token, (data_dir / "jwks.json").read_bytes()


def _production_args(jwks_url):
    return ["--profile", "production", "--jwt-issuer", "oms-local", "--jwt-client-id", "oms", "--jwks-url", jwks_url]


@pytest.mark.parametrize("host, san, server_name", [
    ("127.0.0.1", "IP:127.0.0.1", None),
    ("localhost", "DNS:localhost", "localhost"),
])
def test_the_keys_come_over_https_from_a_verified_host(oms_binary, store, openapi, tmp_path, monkeypatch, test_ca,
                                                        host, san, server_name):
    ca, issue = test_ca
    cert, key = issue(f"idp-{host}", san)
    data_dir = tmp_path / "oms"
    token, jwks = _local_key(oms_binary, data_dir)
    idp = JwksOverHttps(jwks, cert, key)
    try:
        monkeypatch.setenv("SSL_CERT_FILE", str(ca))
        args = _production_args(f"https://{host}:{idp.port}/jwks.json")
        with own_server(oms_binary, store, data_dir, extra_args=args) as srv:
            me = Api(srv.base_url, openapi, token).get("/api/v1/me", expect=200)
            assert me.json["role"] == "ADMIN"
        assert srv.exit_code == 0
        assert idp.requests == 1
        assert idp.server_names == [server_name]
    finally:
        idp.close()


@pytest.mark.parametrize("trusted, san, why", [
    (True, "DNS:idp.example", "a certificate for another host"),
    (False, "IP:127.0.0.1", "a certificate from a CA the service does not trust"),
])
def test_the_service_does_not_start_on_keys_from_an_unverified_host(oms_binary, store, tmp_path, monkeypatch, test_ca,
                                                                     trusted, san, why):
    ca, issue = test_ca
    cert, key = issue("idp-" + san.replace(":", "-"), san)
    data_dir = tmp_path / "oms"
    _, jwks = _local_key(oms_binary, data_dir)
    idp = JwksOverHttps(jwks, cert, key)
    srv = OmsServer(oms_binary, store, data_dir,
                    extra_args=_production_args(f"https://127.0.0.1:{idp.port}/jwks.json"))
    try:
        if trusted:
            monkeypatch.setenv("SSL_CERT_FILE", str(ca))
        else:
            monkeypatch.delenv("SSL_CERT_FILE", raising=False)
        srv.prepare(seed=False)
        with pytest.raises(AssertionError, match="exited"):
            srv.start()
        assert srv.proc.returncode != 0, f"served with {why}"
        assert "certificate verify failed" in srv.log_tail(), srv.log_tail()
        assert idp.requests == 0
    finally:
        srv.stop()
        srv.db.drop()
        idp.close()
