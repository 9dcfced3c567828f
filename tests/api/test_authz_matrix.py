"""Every route x every kind of caller, one case per cell, each with the status the contract gives.

Columns: anonymous, expired token, wrong signature, `alg: none`, the owning Sales Manager,
another Sales Manager, ADMIN, SOLUTION_ARCHITECT, SERVICE. Another SM's opportunity is 404, never
403; an SA sees only opportunities past DRAFT and may change none; SERVICE reads any opportunity
and drives the system transitions."""

import hashlib
import re
import time
from urllib.parse import urlsplit

import pytest

from support import tokens
from support.factory import (Builder, add_requirement, create_customer, create_skill, customer_body,
                             k_problem_statement, k_timeline, opp_path, opportunity_body, skill_body)
from support import rand

k_columns = ("anonymous", "expired", "wrong_signature", "alg_none", "sm_owner", "sm_other", "admin", "sa",
             "service")
k_bad_token_columns = k_columns[:4]
k_missing_job = "00000000-0000-4000-8000-00000000f00d"  # no job has this id
k_caller_of = {"sm_owner": "sm1", "sm_other": "sm2", "admin": "admin", "sa": "sa", "service": "service"}


class Row:
    """One route (in one state of its target), its request and the expected status per column."""

    def __init__(self, name, method, make, owner, other, admin, sa, service, public=False):
        self.name, self.method, self.make, self.public = name, method, make, public
        expected = {"sm_owner": owner, "sm_other": other, "admin": admin, "sa": sa, "service": service}
        for col in k_bad_token_columns:
            expected[col] = 200 if public else 401
        self.expected = expected


class World:
    """What the requests of the matrix point at. Opportunities belong to sm1."""

    def __init__(self, api, callers):
        self.api = api
        self.callers = callers
        sm1, admin = api("sm1"), api("admin")
        self.customer = create_customer(sm1)
        self.skill = create_skill(admin)
        self.editable_skill = create_skill(admin)
        self.builder = Builder(sm1, api("service"), self.customer["id"], self.skill["id"])
        self.draft = self.builder.draft()
        self.submitted = self.builder.in_status("SUBMITTED")

    def fresh(self, status="DRAFT", complete=False):
        if status == "DRAFT":
            return self.builder.draft(complete=complete)
        return self.builder.in_status(status)

    def draft_with_requirement(self):
        opp = self.builder.draft()
        req = add_requirement(self.api("sm1"), opp["id"], self.skill["id"])
        return opp, req


    def upload(self, opp_id):
        """A signed upload intent of sm1's on `opp_id`, and the bytes to send."""
        content = b"matrix " + rand.uuid4().hex.encode()
        body = {"file_name": "m.txt", "content_type": "text/plain", "size_bytes": len(content),
                "sha256": hashlib.sha256(content).hexdigest()}
        intent = self.api("sm1").post(opp_path(opp_id, "/attachments/uploads"), json=body, expect=201).json
        return intent, content

    def object_path(self, url):
        parts = urlsplit(url)
        return f"{parts.path}?{parts.query}"

    def put_object(self, intent, content):
        self.api(None).put(self.object_path(intent["url"]), data=content, headers=intent["headers"], expect=200)

    def attachment(self, opp_id):
        intent, content = self.upload(opp_id)
        self.put_object(intent, content)
        done = self.api("sm1").post(opp_path(opp_id, "/attachments"), json={"upload_id": intent["upload_id"]},
                                    expect=201)
        return done.json

    def signed_put(self):
        intent, content = self.upload(self.fresh()["id"])
        return self.object_path(intent["url"]), {"data": content, "headers": intent["headers"]}

    def signed_get(self):
        opp = self.fresh("SUBMITTED")
        a = self.attachment(opp["id"])
        loc = self.api("sm1").get(opp_path(opp["id"], f"/attachments/{a['id']}/download"), expect=302)
        return self.object_path(loc.headers["Location"]), {}

    def export(self):
        """A completed export of sm1's (the in-process worker runs it)."""
        if not hasattr(self, "_export"):
            sm1 = self.api("sm1")
            export_id = sm1.post("/api/v1/exports", json={"format": "csv"}, expect=202).json["id"]
            deadline = time.monotonic() + 60
            while True:
                e = sm1.get(f"/api/v1/exports/{export_id}", expect=200).json
                if e["status"] in ("COMPLETED", "FAILED") or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            assert e["status"] == "COMPLETED", e
            self._export = e
        return self._export

    def signed_export_get(self):
        return self.object_path(self.export()["download_url"]), {}


def _opp(state):
    return lambda w: w.draft if state == "DRAFT" else w.submitted


k_reason = {"reason": "authorization matrix"}

k_rows = [
    Row("GET /health", "GET", lambda w: ("/health", {}), 200, 200, 200, 200, 200, public=True),
    Row("GET /health/ready", "GET", lambda w: ("/health/ready", {}), 200, 200, 200, 200, 200, public=True),
    Row("GET /metrics", "GET", lambda w: ("/metrics", {}), 200, 200, 200, 200, 200, public=True),
    Row("GET openapi.json", "GET", lambda w: ("/api/v1/openapi.json", {}), 200, 200, 200, 200, 200, public=True),
    Row("GET me", "GET", lambda w: ("/api/v1/me", {}), 200, 200, 200, 200, 200),
    Row("GET users", "GET", lambda w: ("/api/v1/users", {}), 403, 403, 200, 403, 403),
    Row("PATCH user", "PATCH",
        lambda w: (f"/api/v1/users/{w.callers['sm2'].sub}", {"json": {"is_active": True}}),
        403, 403, 200, 403, 403),
    Row("POST customers", "POST", lambda w: ("/api/v1/customers", {"json": customer_body()}),
        201, 201, 201, 403, 403),
    Row("GET customers", "GET", lambda w: ("/api/v1/customers", {}), 200, 200, 200, 403, 403),
    Row("GET customer", "GET", lambda w: (f"/api/v1/customers/{w.customer['id']}", {}), 200, 200, 200, 403, 403),
    # Customers are visible to every SM: another SM's change is 403, not 404 (a fresh customer of sm1's).
    Row("PATCH customer", "PATCH",
        lambda w: (f"/api/v1/customers/{create_customer(w.api('sm1'))['id']}", {"json": {"industry": "Retail"}}),
        200, 403, 200, 403, 403),
    Row("GET skills", "GET", lambda w: ("/api/v1/skills", {}), 200, 200, 200, 200, 200),
    Row("GET skill", "GET", lambda w: (f"/api/v1/skills/{w.skill['id']}", {}), 200, 200, 200, 200, 200),
    Row("POST skills", "POST", lambda w: ("/api/v1/skills", {"json": skill_body()}), 403, 403, 201, 403, 403),
    Row("PATCH skill", "PATCH",
        lambda w: (f"/api/v1/skills/{w.editable_skill['id']}", {"json": {"description": f"v{rand.uuid4().hex}"}}),
        403, 403, 200, 403, 403),
    Row("POST opportunities", "POST",
        lambda w: ("/api/v1/opportunities", {"json": opportunity_body(w.customer["id"])}), 201, 201, 201, 403, 403),
    Row("GET opportunities", "GET", lambda w: ("/api/v1/opportunities", {}), 200, 200, 200, 200, 200),
    Row("GET opportunity [DRAFT]", "GET", lambda w: (opp_path(w.draft["id"]), {}), 200, 404, 200, 404, 200),
    Row("GET opportunity [SUBMITTED]", "GET", lambda w: (opp_path(w.submitted["id"]), {}), 200, 404, 200, 200, 200),
    Row("PATCH opportunity [DRAFT]", "PATCH",
        lambda w: (opp_path(w.fresh()["id"]), {"json": {"priority": "LOW", **k_reason}}), 200, 404, 200, 404, 403),
    Row("PATCH opportunity [SUBMITTED]", "PATCH",
        lambda w: (opp_path(w.fresh("SUBMITTED")["id"]), {"json": {"priority": "LOW", **k_reason}}),
        200, 404, 200, 403, 403),
    Row("PUT problem-statement [DRAFT]", "PUT",
        lambda w: (opp_path(w.fresh()["id"], "/problem-statement"), {"json": {"content": k_problem_statement}}),
        200, 404, 200, 404, 403),
    Row("PUT problem-statement [SUBMITTED]", "PUT",
        lambda w: (opp_path(w.fresh("SUBMITTED")["id"], "/problem-statement"),
                   {"json": {"content": k_problem_statement + " Updated.", **k_reason}}),
        200, 404, 200, 403, 403),
    Row("POST skill-requirements [DRAFT]", "POST",
        lambda w: (opp_path(w.fresh()["id"], "/skill-requirements"),
                   {"json": {"skill_id": w.skill["id"], "importance": "MUST_HAVE", "minimum_proficiency": "EXPERT"}}),
        201, 404, 201, 404, 403),
    Row("PATCH skill-requirement [DRAFT]", "PATCH",
        lambda w: (lambda o, r: (opp_path(o["id"], f"/skill-requirements/{r['id']}"),
                                 {"json": {"importance": "NICE_TO_HAVE"}}))(*w.draft_with_requirement()),
        200, 404, 200, 404, 403),
    Row("DELETE skill-requirement [DRAFT]", "DELETE",
        lambda w: (lambda o, r: (opp_path(o["id"], f"/skill-requirements/{r['id']}"), {}))(
            *w.draft_with_requirement()),
        204, 404, 204, 404, 403),
    Row("PUT timeline [DRAFT]", "PUT", lambda w: (opp_path(w.fresh()["id"], "/timeline"), {"json": k_timeline}),
        200, 404, 200, 404, 403),
    Row("POST submit [DRAFT]", "POST", lambda w: (opp_path(w.fresh(complete=True)["id"], "/submit"), {}),
        200, 404, 200, 404, 403),
    Row("POST cancel [DRAFT]", "POST",
        lambda w: (opp_path(w.fresh()["id"], "/cancel"), {"json": {"reason": "matrix"}}), 200, 404, 200, 404, 403),
    Row("POST cancel [SUBMITTED]", "POST",
        lambda w: (opp_path(w.fresh("SUBMITTED")["id"], "/cancel"), {"json": {"reason": "matrix"}}),
        200, 404, 200, 403, 403),
    Row("POST reactivate [CANCELLED]", "POST",
        lambda w: (opp_path(w.fresh("CANCELLED")["id"], "/reactivate"), {}), 200, 404, 200, 403, 403),
    Row("POST status [SUBMITTED]", "POST",
        lambda w: (opp_path(w.fresh("SUBMITTED")["id"], "/status"), {"json": {"status": "MATCHING_IN_PROGRESS"}}),
        403, 404, 200, 403, 200),
    Row("GET status-history [DRAFT]", "GET", lambda w: (opp_path(w.draft["id"], "/status-history"), {}),
        200, 404, 200, 404, 200),
    Row("GET status-history [SUBMITTED]", "GET", lambda w: (opp_path(w.submitted["id"], "/status-history"), {}),
        200, 404, 200, 200, 200),
    Row("GET changes [DRAFT]", "GET", lambda w: (opp_path(w.draft["id"], "/changes"), {}), 200, 404, 200, 404, 403),
    Row("GET changes [SUBMITTED]", "GET", lambda w: (opp_path(w.submitted["id"], "/changes"), {}),
        200, 404, 200, 403, 403),
    Row("POST attachment upload [DRAFT]", "POST",
        lambda w: (opp_path(w.fresh()["id"], "/attachments/uploads"),
                   {"json": {"file_name": "a.pdf", "content_type": "application/pdf", "size_bytes": 3,
                             "sha256": "ab" * 32}}),
        201, 404, 201, 404, 403),
    # The upload id names no upload of the caller's: the opportunity's rule decides first.
    Row("POST attachment complete [DRAFT]", "POST",
        lambda w: (opp_path(w.fresh()["id"], "/attachments"), {"json": {"upload_id": k_missing_job}}),
        404, 404, 404, 404, 403),
    Row("GET attachments [DRAFT]", "GET", lambda w: (opp_path(w.draft["id"], "/attachments"), {}),
        200, 404, 200, 404, 200),
    Row("GET attachments [SUBMITTED]", "GET", lambda w: (opp_path(w.submitted["id"], "/attachments"), {}),
        200, 404, 200, 200, 200),
    Row("GET attachment download [SUBMITTED]", "GET",
        lambda w: (lambda o: (opp_path(o["id"], f"/attachments/{w.attachment(o['id'])['id']}/download"), {}))(
            w.fresh("SUBMITTED")),
        302, 404, 302, 302, 302),
    Row("DELETE attachment [DRAFT]", "DELETE",
        lambda w: (lambda o: (opp_path(o["id"], f"/attachments/{w.attachment(o['id'])['id']}"), {}))(w.fresh()),
        204, 404, 204, 404, 403),
    # file:// object URLs: the signature is the authorization, whoever sends it (no token needed).
    Row("PUT object (signed)", "PUT", lambda w: w.signed_put(), 200, 200, 200, 200, 200, public=True),
    Row("GET object (signed)", "GET", lambda w: w.signed_get(), 200, 200, 200, 200, 200, public=True),
    Row("GET export object (signed)", "GET", lambda w: w.signed_export_get(), 200, 200, 200, 200, 200, public=True),
    # Exports: SMs and admins; a request is visible to whoever made it only (404 for anyone else).
    Row("POST exports", "POST", lambda w: ("/api/v1/exports", {"json": {"format": "json"}}), 202, 202, 202, 403, 403),
    Row("GET export", "GET", lambda w: (f"/api/v1/exports/{w.export()['id']}", {}), 200, 404, 404, 403, 403),
    Row("GET admin audit", "GET", lambda w: ("/api/v1/admin/audit", {}), 403, 403, 200, 403, 403),
    Row("GET admin audit verify", "GET", lambda w: ("/api/v1/admin/audit/verify", {}), 403, 403, 200, 403, 403),
    Row("GET admin jobs", "GET", lambda w: ("/api/v1/admin/jobs", {}), 403, 403, 200, 403, 403),
    # The role is checked before the lookup: a job id that does not exist is 403 but for ADMIN.
    Row("GET admin job", "GET", lambda w: (f"/api/v1/admin/jobs/{k_missing_job}", {}), 403, 403, 404, 403, 403),
    Row("POST admin job retry", "POST", lambda w: (f"/api/v1/admin/jobs/{k_missing_job}/retry", {}),
        403, 403, 404, 403, 403),
    # Data-subject requests: the role is checked before the lookup (an unknown user, so that no
    # caller of the session is erased; the stories are in test_data_subjects.py).
    Row("POST data-subject access", "POST", lambda w: (f"/api/v1/admin/data-subjects/{k_missing_job}/export", {}),
        403, 403, 404, 403, 403),
    Row("POST data-subject erasure", "POST", lambda w: (f"/api/v1/admin/data-subjects/{k_missing_job}/erase", {}),
        403, 403, 404, 403, 403),
    # The web page and, in the embedded profile the matrix runs in, its development sign-in: public.
    Row("GET / (web page)", "GET", lambda w: ("/", {}), 200, 200, 200, 200, 200, public=True),
    Row("GET /docs", "GET", lambda w: ("/docs", {}), 200, 200, 200, 200, 200, public=True),
    Row("GET web asset", "GET", lambda w: (_web_asset(w), {}), 200, 200, 200, 200, 200, public=True),
    Row("GET web-config.json", "GET", lambda w: ("/web-config.json", {}), 200, 200, 200, 200, 200, public=True),
    Row("GET dev users", "GET", lambda w: ("/api/v1/dev/users", {}), 200, 200, 200, 200, 200, public=True),
    Row("POST dev tokens", "POST", lambda w: ("/api/v1/dev/tokens", {"json": {"user_id": "sa-1"}}),
        200, 200, 200, 200, 200, public=True),
]


def _web_asset(w):
    return re.search(r'/assets/[A-Za-z0-9_.-]+', w.api(None).get("/", expect=200).text).group(0)

k_error_codes = {401: "UNAUTHENTICATED", 403: "FORBIDDEN", 404: "NOT_FOUND"}


@pytest.fixture(scope="module")
def world(api, callers):
    return World(api, callers)


@pytest.fixture(scope="module")
def column_tokens(server, callers):
    key = tokens.LocalKey.load(server.data_dir)
    sub = callers["sm1"].sub
    return {
        "anonymous": None,
        "expired": tokens.sign(tokens.claims(sub=sub, exp=1_600_000_000, iat=1_599_990_000, nbf=1_599_990_000),
                               key.private_key, key.kid),
        "wrong_signature": tokens.sign(tokens.claims(sub=sub), tokens.foreign_key(), key.kid),
        "alg_none": tokens.unsigned(tokens.claims(sub=sub), key.kid),
        **{col: callers[k].token for col, k in k_caller_of.items()},
    }


k_cells = [pytest.param(row, col, id=f"{row.name} | {col}") for row in k_rows for col in k_columns]


@pytest.mark.parametrize("row,column", k_cells)
def test_cell(api, world, column_tokens, row, column):
    path, kwargs = row.make(world)
    token = column_tokens[column]
    client = api(token=token) if token else api(None)
    resp = client.request(row.method, path, **kwargs)
    expected = row.expected[column]
    assert resp.status == expected, f"{row.name} as {column}: expected {expected}, got {resp.describe()}"
    if expected in k_error_codes:
        assert resp.code == k_error_codes[expected], resp.describe()


def test_matrix_covers_every_documented_operation(openapi, world):
    """A route added to docs/openapi.yaml without a row here fails this test."""
    covered = set()
    for row in k_rows:
        path = row.make(world)[0]
        template, op = openapi.find(row.method, path)
        assert op is not None, f"{row.method} {path} is not documented"
        covered.add((row.method, template))
    missing = sorted(set(openapi.operations()) - covered)
    assert not missing, f"documented operations without authorization cases: {missing}"
