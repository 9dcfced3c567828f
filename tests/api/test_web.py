"""The web page (/, /docs, hashed assets, /web-config.json) and the embedded profile's
development sign-in (/api/v1/dev/*), which the production profile does not have (404)."""
import re

import requests

from support.client import Api, assert_problem
from support.server import own_server, run_cli

k_asset = re.compile(r'/assets/([A-Za-z0-9_-]+)\.([0-9a-f]{12})\.(js|css)')


def _assets(api, html):
    """Every asset a page names, transitively through the modules' imports."""
    seen, todo = {}, ["/assets/" + ".".join(m) for m in k_asset.findall(html)]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        resp = api.get(path, expect=200)
        seen[path] = resp
        for stem, digest, ext in re.findall(r'\./([A-Za-z0-9_-]+)\.([0-9a-f]{12})\.(js)', resp.text):
            todo.append(f"/assets/{stem}.{digest}.{ext}")
    return seen


def test_the_page_is_served_with_a_strict_policy_and_hashed_assets(api):
    anonymous = api(None)
    page = anonymous.get("/", expect=200)
    assert page.headers["Content-Type"] == "text/html; charset=utf-8"
    assert page.headers["Cache-Control"] == "no-cache"
    csp = page.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self';" in csp and "style-src 'self';" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "frame-ancestors 'none'" in csp
    # No inline script or style in the page itself; only hashed, same-origin assets.
    assert "<style" not in page.text and " style=" not in page.text
    assert not re.search(r"<script(?![^>]*\bsrc=)", page.text), page.text
    assert "http://" not in page.text and "https://" not in page.text
    assets = _assets(anonymous, page.text)
    assert any(p.endswith(".js") for p in assets) and any(p.endswith(".css") for p in assets)
    assert len(assets) >= 8, sorted(assets)  # the page's modules, found through their imports
    for path, resp in assets.items():
        assert resp.headers["Cache-Control"] == "public, max-age=31536000, immutable", path
        assert resp.headers["Content-Type"].startswith("text/javascript" if path.endswith(".js") else "text/css")
        # The name is the content's: a module names its imports by their hashed names too.
        assert "from './" not in resp.text or not re.search(r"from '\./[a-z]+\.js'", resp.text), path
    # Compressed at build time, sent to clients that accept gzip (requests does, and decodes it).
    assert page.headers["Content-Encoding"] == "gzip" and page.headers["Vary"] == "Accept-Encoding"
    for refused in ("identity", "gzip;q=0", "br"):
        plain = anonymous.get("/", headers={"Accept-Encoding": refused}, expect=200)
        assert "Content-Encoding" not in plain.headers and plain.content == page.content, refused
    # Revalidation: the same ETag is a 304 without a body.
    again = anonymous.get("/", headers={"If-None-Match": page.headers["ETag"]}, expect=304)
    assert again.content == b""
    # An asset name that is not the current hash does not exist.
    assert_problem(anonymous.get("/assets/app.000000000000.js"), 404, "NOT_FOUND")


def test_the_api_reference_page_is_served_under_the_same_policy(api):
    docs = api(None).get("/docs", expect=200)
    assert docs.headers["Content-Security-Policy"].startswith("default-src 'none'; script-src 'self';")
    assert "/assets/docs." in docs.text
    _assets(api(None), docs.text)


def test_embedded_profile_offers_the_development_sign_in(oms_binary, store, openapi, tmp_path):
    with own_server(oms_binary, store, tmp_path / "oms-web-dev") as srv:
        anonymous = Api(srv.base_url, openapi)
        config = anonymous.get("/web-config.json", expect=200).json
        assert config["sign_in"] == "development" and set(config) == {"sign_in", "attachments"}
        users = anonymous.get("/api/v1/dev/users", expect=200).json["items"]
        roles = {u["role"] for u in users}
        assert {"SALES_MANAGER", "ADMIN"} <= roles
        sm = next(u for u in users if u["role"] == "SALES_MANAGER")
        body = anonymous.post("/api/v1/dev/tokens", json={"user_id": sm["id"]}, expect=200).json
        assert body["user"] == sm and body["expires_in"] == 12 * 3600
        me = Api(srv.base_url, openapi, body["token"]).get("/api/v1/me", expect=200).json
        assert me["id"] == sm["id"] and me["role"] == "SALES_MANAGER" and me["name"] == sm["name"]
        # Bad input: precise 400s.
        assert_problem(anonymous.post("/api/v1/dev/tokens", json={"user_id": "nobody"}), 400, "VALIDATION_ERROR",
                       "user_id")
        resp = anonymous.post("/api/v1/dev/tokens", json={})
        assert_problem(resp, 400, "VALIDATION_ERROR")
        assert resp.error_fields == ["user_id"]
        resp = anonymous.post("/api/v1/dev/tokens", json={"user_id": sm["id"], "role": "ADMIN"})
        assert_problem(resp, 400, "VALIDATION_ERROR")
        assert resp.error_fields == ["role"]
        assert_problem(anonymous.post("/api/v1/dev/tokens", data=b"user_id=sm-1",
                                      headers={"Content-Type": "application/x-www-form-urlencoded"}),
                       415, "UNSUPPORTED_MEDIA_TYPE")
        assert_problem(anonymous.post("/api/v1/dev/tokens", data=b"{", headers={"Content-Type": "application/json"}),
                       400, "VALIDATION_ERROR", "body")
    assert srv.exit_code == 0


def test_production_profile_has_no_development_sign_in(oms_binary, store, openapi, tmp_path):
    data_dir = tmp_path / "oms-web-prod"
    data_dir.mkdir()
    # `oms token` (embedded) makes the local key's JWKS, which the production server reads.
    admin_token = run_cli(oms_binary, ["token", "--role", "ADMIN", "--data-dir", str(data_dir)]).strip()
    args = ["--profile", "production", "--jwt-issuer", "oms-local", "--jwt-client-id", "web-client",
            "--jwks-url", f"file://{data_dir / 'jwks.json'}", "--cognito-domain", "https://oms-test.auth.example.com/"]
    with own_server(oms_binary, store, data_dir, extra_args=args) as srv:
        anonymous = Api(srv.base_url, openapi)
        assert_problem(anonymous.get("/api/v1/dev/users"), 404, "NOT_FOUND")
        assert_problem(anonymous.post("/api/v1/dev/tokens", json={"user_id": "admin-1"}), 404, "NOT_FOUND")
        config = anonymous.get("/web-config.json", expect=200).json
        del config["attachments"]  # test_attachments.py: the same as the contract's
        assert config == {"sign_in": "cognito", "cognito_domain": "https://oms-test.auth.example.com",
                          "client_id": "web-client"}
        page = anonymous.get("/", expect=200)
        # The page may exchange its code at the Hosted UI's token endpoint, and nowhere else.
        assert "connect-src 'self' https://oms-test.auth.example.com;" in page.headers["Content-Security-Policy"]
        assert requests.get(srv.base_url + "/api/v1/me", headers={"Authorization": f"Bearer {admin_token}"},
                            timeout=5).status_code == 401  # audience web-client: the embedded token is not for it
    assert srv.exit_code == 0


def test_attachments_on_s3_add_the_bucket_endpoint_to_connect_src(oms_binary, store, openapi, tmp_path):
    """The page PUTs attachments straight to the pre-signed S3 URL: its policy must allow that origin
    (and only that one besides its own and the Hosted UI's)."""
    data_dir = tmp_path / "oms-web-s3"
    data_dir.mkdir()
    args = ["--attachments-url", "s3://web-test-bucket?endpoint=http://127.0.0.1:9&region=us-east-1",
            "--cognito-domain", "https://oms-test.auth.example.com"]
    with own_server(oms_binary, store, data_dir, extra_args=args) as srv:
        csp = Api(srv.base_url, openapi).get("/", expect=200).headers["Content-Security-Policy"]
        assert "connect-src 'self' https://oms-test.auth.example.com http://127.0.0.1:9;" in csp, csp
    assert srv.exit_code == 0


def test_cognito_domain_must_be_https(oms_binary, tmp_path):
    import subprocess
    proc = subprocess.run([str(oms_binary), "serve", "--data-dir", str(tmp_path), "--cognito-domain",
                           "http://plain.example.com"], capture_output=True, text=True, timeout=30)
    assert proc.returncode == 2
    assert "--cognito-domain (OMS_COGNITO_DOMAIN): expected an https:// URL (http:// only on 127.0.0.1 or localhost)" \
        in proc.stderr
