"""/metrics is not public in production: the production profile serves it only on the internal
--metrics-port (same address) and the API port answers 404 for it; the embedded profile keeps it
on the API port."""
import requests

from support.client import Api, assert_problem
from support.server import free_port, own_server, run_cli


def _production_args(data_dir, metrics_port):
    # `oms token` (embedded) makes the local key and its JWKS, which the production server reads.
    run_cli_args = ["token", "--role", "ADMIN", "--data-dir", str(data_dir)]
    return run_cli_args, ["--profile", "production", "--jwt-issuer", "oms-local", "--jwt-client-id", "oms",
                          "--jwks-url", f"file://{data_dir / 'jwks.json'}", "--metrics-port", str(metrics_port)]


def test_production_serves_metrics_only_on_the_internal_port(oms_binary, store, openapi, tmp_path):
    data_dir = tmp_path / "oms-prod-metrics"
    data_dir.mkdir()
    metrics_port = free_port()
    token_args, args = _production_args(data_dir, metrics_port)
    token = run_cli(oms_binary, token_args).strip()
    with own_server(oms_binary, store, data_dir, extra_args=args) as srv:
        public = Api(srv.base_url, openapi)
        assert_problem(public.get("/metrics"), 404, "NOT_FOUND")
        assert_problem(public.get("/metrics", params={"x": "1"}), 404, "NOT_FOUND")
        public.get("/health", expect=200)
        Api(srv.base_url, openapi, token).get("/api/v1/me", expect=200)

        internal = requests.get(f"http://127.0.0.1:{metrics_port}/metrics", timeout=5)
        assert internal.status_code == 200
        assert internal.headers["Content-Type"].startswith("text/plain")
        # The public requests above are counted, and the 404 for /metrics among them.
        assert 'status="404"' in internal.text, internal.text[:2000]
        assert requests.get(f"http://127.0.0.1:{metrics_port}/health", timeout=5).status_code == 200
        # The internal port serves no API.
        assert requests.get(f"http://127.0.0.1:{metrics_port}/api/v1/me", timeout=5).status_code == 404
    assert srv.exit_code == 0


def test_embedded_keeps_metrics_on_the_api_port(oms_binary, store, openapi, tmp_path):
    with own_server(oms_binary, store, tmp_path / "oms-embedded-metrics") as srv:
        resp = requests.get(srv.base_url + "/metrics", timeout=5)
        assert resp.status_code == 200 and resp.headers["Content-Type"].startswith("text/plain")


def test_metrics_port_must_differ_from_the_api_port(oms_binary, tmp_path):
    import subprocess
    proc = subprocess.run([str(oms_binary), "serve", "--data-dir", str(tmp_path), "--port", "9555",
                           "--metrics-port", "9555"], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2
    assert "--metrics-port (OMS_METRICS_PORT): expected a port other than --port" in proc.stderr
