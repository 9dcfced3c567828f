"""The HTTP client every test uses. Each response is checked against docs/openapi.yaml, every
error against the problem+json shape, and X-Request-Id against the one sent, so no test can
forget to."""
import json as jsonlib

import requests

from support.openapi import ContractViolation

k_problem_type_prefix = "https://oms.example/problems/"
_unset = object()


class Response:
    """A checked response: status, headers, raw bytes and the parsed JSON body (or None)."""

    def __init__(self, raw):
        self.raw = raw
        self.status = raw.status_code
        self.headers = raw.headers
        self.content = raw.content
        self.text = raw.text
        media = raw.headers.get("Content-Type", "").split(";")[0].strip().lower()
        self.json = None
        if media.endswith("json") and not media.endswith("ndjson") and raw.content:  # JSON Lines: raw
            self.json = jsonlib.loads(raw.content)

    @property
    def code(self):
        return (self.json or {}).get("code") if isinstance(self.json, dict) else None

    @property
    def error_fields(self):
        if not isinstance(self.json, dict):
            return []
        return [e.get("field") for e in self.json.get("errors") or []]

    def describe(self):
        return f"HTTP {self.status} {self.headers.get('Content-Type')} {self.text[:1500]}"


def check_problem(resp):
    """An error is application/problem+json with the fields of the contract."""
    media = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if media != "application/problem+json":
        raise ContractViolation(f"error without application/problem+json: {resp.describe()}")
    body = resp.json
    if not isinstance(body, dict):
        raise ContractViolation(f"problem body is not an object: {resp.describe()}")
    missing = [k for k in ("type", "title", "status", "detail", "code", "request_id") if k not in body]
    if missing:
        raise ContractViolation(f"problem without {missing}: {resp.describe()}")
    if body["status"] != resp.status:
        raise ContractViolation(f"problem status {body['status']} != HTTP {resp.status}")
    expected_type = k_problem_type_prefix + str(body["code"]).lower().replace("_", "-")
    if body["type"] != expected_type:
        raise ContractViolation(f"problem type {body['type']!r}, expected {expected_type!r}")
    if body["request_id"] != resp.headers.get("X-Request-Id"):
        raise ContractViolation(
            f"problem request_id {body['request_id']!r} != X-Request-Id {resp.headers.get('X-Request-Id')!r}")
    for e in body.get("errors") or []:
        if not isinstance(e, dict) or not isinstance(e.get("field"), str) or not isinstance(
                e.get("message"), str):
            raise ContractViolation(f"malformed errors entry {e!r}")


class Api:
    """Talks to one server as one caller (token may be None: anonymous)."""

    def __init__(self, base_url, openapi, token=None, session=None):
        self.base_url = base_url.rstrip("/")
        self.openapi = openapi
        self.token = token
        self.session = session or requests.Session()

    def as_token(self, token):
        return Api(self.base_url, self.openapi, token, self.session)

    def request(self, method, path, *, json=_unset, data=None, params=None, headers=None,
                expect=None, documented=True, timeout=30):
        """Sends a request and checks the answer. `json` is serialised as UTF-8 (not \\u escapes);
        `data` is sent verbatim. `expect` asserts the status. `documented=False` is for requests
        the contract cannot describe (unknown paths, refused at the transport level)."""
        hdrs = {}
        if self.token is not None:
            hdrs["Authorization"] = f"Bearer {self.token}"
        if json is not _unset:
            data = jsonlib.dumps(json, ensure_ascii=False).encode("utf-8")
            hdrs["Content-Type"] = "application/json"
        hdrs.update(headers or {})
        hdrs = {k: v for k, v in hdrs.items() if v is not None}
        raw = self.session.request(method, self.base_url + path, data=data, params=params,
                                   headers=hdrs, timeout=timeout, allow_redirects=False)
        resp = Response(raw)
        url_path = requests.utils.urlparse(raw.request.url).path
        where = f"{method} {url_path}"
        if expect is not None and resp.status != expect:
            raise AssertionError(f"{where}: expected HTTP {expect}, got {resp.describe()}")
        request_id = resp.headers.get("X-Request-Id")
        if not request_id:
            raise ContractViolation(f"{where}: response without X-Request-Id: {resp.describe()}")
        sent_id = hdrs.get("X-Request-Id")
        if sent_id is not None and request_id != sent_id:
            raise ContractViolation(f"{where}: X-Request-Id {request_id!r} not the one sent ({sent_id!r})")
        if resp.status >= 400:
            check_problem(resp)
        self.openapi.check_response(method, url_path, resp.status, resp.headers.get("Content-Type"),
                                    resp.content, documented=documented, headers=resp.headers)
        return resp

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def put(self, path, **kw):
        return self.request("PUT", path, **kw)

    def patch(self, path, **kw):
        return self.request("PATCH", path, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)


def assert_problem(resp, status, code, field=None):
    """The response is the error of the contract, naming `field` in `errors` when given."""
    assert resp.status == status and resp.code == code, (
        f"expected {status} {code}, got {resp.describe()}")
    if field is not None:
        assert field in resp.error_fields, f"expected errors to name {field!r}: {resp.describe()}"
