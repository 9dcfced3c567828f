"""The catalogue of malformed requests of test_bad_input.py: each names the request, the status
and code it must get and, for validation errors, the field the `errors` list must name."""
import copy
import json
from dataclasses import dataclass, field as dc_field

from support.factory import day, k_timeline

_k_none = object()


@dataclass
class Case:
    id: str
    caller: str                   # key of conftest.k_callers
    method: str
    path: str                     # may hold {draft}, {req}, {skill}, {customer}, {matches_found}, {sm2}
    status: int
    code: str
    field: str | None = None      # expected in errors[].field (exactly, or as the prefix of a path)
    body: object = _k_none        # JSON value; strings "$customer"/"$skill" are replaced
    raw: bytes | None = None      # sent verbatim instead of `body`
    content_type: str | None = "application/json"
    headers: dict = dc_field(default_factory=dict)
    params: dict | None = None


def substitute(value, targets):
    if isinstance(value, str) and value.startswith("$") and value[1:] in targets:
        return targets[value[1:]]
    if isinstance(value, dict):
        return {k: substitute(v, targets) for k, v in value.items()}
    if isinstance(value, list):
        return [substitute(v, targets) for v in value]
    return value


def with_field(base, path, value):
    """A copy of `base` with the dotted `path` set to value (or removed when value is _k_none)."""
    out = copy.deepcopy(base)
    node = out
    keys = path.split(".")
    for k in keys[:-1]:
        node = node[k]
    if value is _k_none:
        node.pop(keys[-1], None)
    else:
        node[keys[-1]] = value
    return out


REMOVE = _k_none

k_opportunity = {
    "title": "A valid title",
    "description": "A valid description.",
    "customer_id": "$customer",
    "priority": "HIGH",
    "annual_recurring_revenue": "125000.00",
    "currency": "USD",
    "geographic_requirements": {"region": "EMEA", "requires_physical_presence": False, "allows_remote_work": True},
}
k_customer = {"name": "Valid Customer Name", "industry": "Retail"}
k_skill = {"name": "Valid Skill Name", "category": "TECHNICAL", "description": "A skill."}
k_requirement = {"skill_id": "$skill", "importance": "MUST_HAVE", "minimum_proficiency": "EXPERT"}
k_long_content = "x" * 139
k_absent = "00000000-0000-4000-8000-000000000000"
k_bad_ids = ["not-a-uuid", "123", "00000000-0000-0000-0000-00000000000g", k_absent + "0",
             "00000000000040008000000000000000x"]


def _raw_with_title(title_bytes):
    text = json.dumps(substitute_later(k_opportunity, title="@@TITLE@@"))
    return text.encode().replace(b"@@TITLE@@", title_bytes)


def substitute_later(body, **over):
    out = copy.deepcopy(body)
    out.update(over)
    return out


def _nested(depth, open_, close):
    return open_ * depth + close * depth


def opportunity_cases():
    post = "/api/v1/opportunities"
    cases = []

    def add(id_, status, code, fld=None, **kw):
        cases.append(Case(f"create/{id_}", "sm1", "POST", post, status, code, fld, **kw))

    broken = {
        "open_brace": b"{", "missing_value": b'{"title": }', "unterminated_array": b"[1, 2",
        "bare_word": b"nul", "trailing_comma": b'{"title": "x",}', "single_quotes": b"{'title': 'x'}",
        "nan": b'{"title": NaN}', "empty": b"", "blank": b"   \n", "two_documents": b'{"a":1}{"b":2}',
        "unterminated_string": b'{"title": "abc}', "bad_escape": b'{"title": "\\x41"}',
        "leading_zero": b'{"title": 01}', "bare_fraction": b'{"title": .5}', "comment": b"/* c */ {}",
        "top_array": b"[]", "top_string": b'"text"', "top_number": b"42", "top_null": b"null",
        "top_true": b"true", "control_char_in_string": b'{"title": "a\x01b"}',
    }
    for name, raw in broken.items():
        add(f"broken_json/{name}", 400, "VALIDATION_ERROR", raw=raw)

    wrong_types = {
        "title": [42, True, None, [], {}],
        "description": [42, None, ["a"]],
        "customer_id": [42, None, {}],
        "priority": [1, None, ["HIGH"]],
        "annual_recurring_revenue": [125000, 125000.0, None, True],
        "currency": [840, []],
        "geographic_requirements": ["EMEA", [], None, 1],
        "geographic_requirements.region": [1, None, []],
        "geographic_requirements.requires_physical_presence": ["false", 0, None],
        "geographic_requirements.allows_remote_work": ["true", 1, None],
    }
    for fld, values in wrong_types.items():
        for v in values:
            add(f"wrong_type/{fld}={json.dumps(v)}", 400, "VALIDATION_ERROR", fld,
                body=with_field(k_opportunity, fld, v))

    for fld in ["title", "description", "customer_id", "priority", "annual_recurring_revenue",
                "geographic_requirements", "geographic_requirements.region",
                "geographic_requirements.requires_physical_presence", "geographic_requirements.allows_remote_work"]:
        add(f"missing/{fld}", 400, "VALIDATION_ERROR", fld, body=with_field(k_opportunity, fld, REMOVE))

    for fld, v in [("foo", 1), ("id", k_absent), ("status", "SUBMITTED"), ("sales_manager_id", "someone"),
                   ("version", 7), ("problem_statement", {"content": "x"}), ("geographic_requirements.foo", True)]:
        add(f"unknown_field/{fld}", 400, "VALIDATION_ERROR", fld, body=with_field(k_opportunity, fld, v))

    limits = [
        ("title", "empty", ""), ("title", "spaces", "   "), ("title", "201_ascii", "a" * 201),
        ("title", "201_emoji", "\U0001F600" * 201), ("title", "whitespace_controls", "\t\n"),
        ("title", "201_two_byte", "é" * 201),
        ("description", "empty", ""), ("description", "2001_ascii", "a" * 2001), ("description", "2001_cjk", "日" * 2001),
        ("geographic_requirements.region", "empty", ""), ("geographic_requirements.region", "101", "a" * 101),
        ("geographic_requirements.region", "101_cjk", "日" * 101),
    ]
    for fld, name, v in limits:
        add(f"length/{fld}/{name}", 400, "VALIDATION_ERROR", fld, body=with_field(k_opportunity, fld, v))

    invalid_utf8 = {"ff": b"\xff", "overlong_slash": b"\xc0\xaf", "lone_continuation": b"\x80",
                    "surrogate_bytes": b"\xed\xa0\x80", "truncated_euro": b"\xe2\x82", "five_byte": b"\xf8\x88\x80\x80\x80",
                    "after_text": b"abc\xfe"}
    for name, bad in invalid_utf8.items():
        add(f"invalid_utf8/{name}", 400, "VALIDATION_ERROR", raw=_raw_with_title(bad))
    for name, esc in {"lone_high_surrogate": b"\\ud800", "lone_low_surrogate": b"\\udc00",
                      "reversed_pair": b"\\ude00\\ud83d"}.items():
        add(f"escaped/{name}", 400, "VALIDATION_ERROR", "title", raw=_raw_with_title(b"ok " + esc))

    for v in ["URGENT", "high", "", " HIGH", "HIGH "]:
        add(f"enum/priority={v!r}", 400, "VALIDATION_ERROR", "priority", body=with_field(k_opportunity, "priority", v))
    for v in ["not-a-uuid", "", "12345", k_absent + "x"]:
        add(f"uuid/customer_id={v!r}", 400, "VALIDATION_ERROR", "customer_id",
            body=with_field(k_opportunity, "customer_id", v))
    for v in ["-1.00", "12.345", "abc", "", " 100.00", "+100.00", "1e3", "1,000.00", "0x10", "1000000000000.01",
              "NaN", "Infinity", "--1", "1.2.3", "100.00 "]:
        add(f"money/{v!r}", 400, "VALIDATION_ERROR", "annual_recurring_revenue",
            body=with_field(k_opportunity, "annual_recurring_revenue", v))
    for v in ["usd", "US", "EURO", "", "U$D", "1 2"]:
        add(f"currency/{v!r}", 400, "VALIDATION_ERROR", "currency", body=with_field(k_opportunity, "currency", v))

    title_json = json.dumps(substitute_later(k_opportunity, title="@@T@@"))
    add("nesting/arrays_1000", 400, "VALIDATION_ERROR",
        raw=title_json.replace('"@@T@@"', _nested(1000, "[", "]")).encode())
    add("nesting/objects_1000", 400, "VALIDATION_ERROR",
        raw=title_json.replace('"@@T@@"', _nested(1000, '{"a":', "}").replace('{"a":}', '{"a":1}')).encode())
    add("nesting/top_level_1000", 400, "VALIDATION_ERROR", raw=_nested(1000, "[", "]").encode())

    valid = json.dumps(k_opportunity)  # customer placeholder left in: the media type is refused first
    for name, ctype in [("text_plain", "text/plain"), ("none", None), ("xml", "application/xml"),
                        ("multipart", "multipart/form-data; boundary=x"), ("form", "application/x-www-form-urlencoded"),
                        ("jsonp", "application/javascript")]:
        add(f"content_type/{name}", 415, "UNSUPPORTED_MEDIA_TYPE", raw=valid.encode(), content_type=ctype)

    big = "a" * (1024 * 1024 + 4096)
    add("too_large/title", 413, "PAYLOAD_TOO_LARGE", raw=json.dumps(substitute_later(k_opportunity, title=big)).encode())
    add("too_large/junk", 413, "PAYLOAD_TOO_LARGE", raw=b"x" * (1024 * 1024 + 1))

    for name, key in [("empty", ""), ("too_long", "k" * 256), ("non_ascii", "cl\xe9")]:
        add(f"idempotency_key/{name}", 400, "VALIDATION_ERROR", body=k_opportunity,
            headers={"Idempotency-Key": key})
    return cases


def patch_opportunity_cases():
    cases = []

    def add(id_, status, code, fld=None, path="/api/v1/opportunities/{draft}", **kw):
        cases.append(Case(f"patch/{id_}", "sm1", "PATCH", path, status, code, fld, **kw))

    add("empty_object", 400, "VALIDATION_ERROR", body={})
    for fld, v in [("title", None), ("title", ""), ("title", "b" * 201), ("title", 42), ("description", None),
                   ("description", ""), ("priority", "URGENT"), ("priority", None), ("annual_recurring_revenue", "-5.00"),
                   ("annual_recurring_revenue", 5), ("annual_recurring_revenue", "1.001"), ("currency", "eur"),
                   ("customer_id", "nope"), ("reason", "r" * 501), ("reason", 42)]:
        add(f"{fld}={json.dumps(v)[:20]}", 400, "VALIDATION_ERROR", fld, body={fld: v})
    for name, geo, fld in [("region_empty", {"region": ""}, "geographic_requirements.region"),
                           ("region_number", {"region": 5}, "geographic_requirements.region"),
                           ("remote_string", {"allows_remote_work": "no"}, "geographic_requirements.allows_remote_work"),
                           ("unknown", {"foo": 1}, "geographic_requirements.foo"),
                           ("string", "EMEA", "geographic_requirements")]:
        add(f"geo/{name}", 400, "VALIDATION_ERROR", fld, body={"geographic_requirements": geo})
    for fld, v in [("status", "SUBMITTED"), ("sales_manager_id", "x"), ("version", 3), ("id", k_absent)]:
        add(f"unknown_field/{fld}", 400, "VALIDATION_ERROR", fld, body={"title": "ok", fld: v})
    for name, etag in [("stale", '"999"'), ("zero", '"0"'), ("garbage", "abc"), ("unquoted_words", "version-1")]:
        add(f"if_match/{name}", 412, "PRECONDITION_FAILED", body={"title": "ok"}, headers={"If-Match": etag})
    for bad in k_bad_ids:
        add(f"path_id/{bad}", 400, "VALIDATION_ERROR", "id", path=f"/api/v1/opportunities/{bad}", body={"title": "ok"})
    add("path_id/absent", 404, "NOT_FOUND", path=f"/api/v1/opportunities/{k_absent}", body={"title": "ok"})
    return cases


def problem_statement_cases():
    path = "/api/v1/opportunities/{draft}/problem-statement"
    out = []
    for name, body, fld in [
        ("missing", {}, "content"), ("number", {"content": 42}, "content"), ("null", {"content": None}, "content"),
        ("empty", {"content": ""}, "content"), ("139", {"content": k_long_content}, "content"),
        ("5001", {"content": "y" * 5001}, "content"),
        ("139_after_trim", {"content": "   \n" + k_long_content + "\n   " + " " * 20}, "content"),
        ("139_emoji", {"content": "\U0001F4A1" * 139}, "content"),
        ("reason_501", {"content": "z" * 200, "reason": "r" * 501}, "reason"),
        ("unknown_field", {"content": "z" * 200, "format": "html"}, "format"),
        ("array", [], None),
    ]:
        out.append(Case(f"problem_statement/{name}", "sm1", "PUT", path, 400, "VALIDATION_ERROR", fld, body=body))
    return out


def requirement_cases():
    post = "/api/v1/opportunities/{draft}/skill-requirements"
    item = "/api/v1/opportunities/{draft}/skill-requirements/{req}"
    out = []
    for name, fld, v in [("skill_id_missing", "skill_id", REMOVE), ("skill_id_bad", "skill_id", "nope"),
                         ("skill_id_number", "skill_id", 42), ("importance_missing", "importance", REMOVE),
                         ("importance_unknown", "importance", "REQUIRED"), ("importance_lower", "importance", "must_have"),
                         ("proficiency_missing", "minimum_proficiency", REMOVE),
                         ("proficiency_unknown", "minimum_proficiency", "GURU"),
                         ("proficiency_language_scale", "minimum_proficiency", "FLUENT"),
                         ("proficiency_lower", "minimum_proficiency", "expert"),
                         ("skill_name_from_client", "skill_name", "Custom"), ("reason_number", "reason", 42)]:
        out.append(Case(f"requirement_add/{name}", "sm1", "POST", post, 400, "VALIDATION_ERROR", fld,
                        body=with_field(k_requirement, fld, v)))
    for name, body, fld in [("importance_unknown", {"importance": "X"}, "importance"),
                            ("proficiency_language_scale", {"minimum_proficiency": "NATIVE"}, "minimum_proficiency"),
                            ("importance_null", {"importance": None}, "importance"),
                            ("skill_id_not_patchable", {"skill_id": "$skill"}, "skill_id")]:
        out.append(Case(f"requirement_patch/{name}", "sm1", "PATCH", item, 400, "VALIDATION_ERROR", fld, body=body))
    out.append(Case("requirement_patch/bad_requirement_id", "sm1", "PATCH",
                    "/api/v1/opportunities/{draft}/skill-requirements/nope", 400, "VALIDATION_ERROR", "requirement_id",
                    body={"importance": "NICE_TO_HAVE"}))
    out.append(Case("requirement_patch/absent", "sm1", "PATCH",
                    "/api/v1/opportunities/{draft}/skill-requirements/" + k_absent, 404, "NOT_FOUND",
                    body={"importance": "NICE_TO_HAVE"}))
    out.append(Case("requirement_delete/bad_requirement_id", "sm1", "DELETE",
                    "/api/v1/opportunities/{draft}/skill-requirements/nope", 400, "VALIDATION_ERROR", "requirement_id",
                    content_type=None))
    out.append(Case("requirement_delete/reason_501", "sm1", "DELETE", item, 400, "VALIDATION_ERROR", "reason",
                    content_type=None, params={"reason": "r" * 501}))
    return out


def timeline_cases():
    path = "/api/v1/opportunities/{draft}/timeline"
    out = []

    def add(name, fld, body, status=400, code="VALIDATION_ERROR"):
        out.append(Case(f"timeline/{name}", "sm1", "PUT", path, status, code, fld, body=body))

    base = dict(k_timeline)
    add("end_before_start", "expected_end_date", {**base, "expected_end_date": day(100),
                                                  "specific_required_days": []})
    add("end_equals_start", "expected_end_date", {**base, "expected_end_date": base["expected_start_date"],
                                                  "specific_required_days": []})
    for v in ["2026-02-30", "2026-13-01", "tomorrow", "2026-1-5", "2027-03-01T00:00:00Z", "", 20270301, None,
              "01/03/2027", "2027-00-10"]:
        add(f"start={v!r}", "expected_start_date", {**base, "expected_start_date": v})
    for v in ["2027-02-29", "2027-06-31", day(240) + " ", day(240).replace("-", "/")]:
        add(f"end={v!r}", "expected_end_date", {**base, "expected_end_date": v})
    for name, days in [("before_start", [day(119)]), ("after_end", [day(241)]),
                       ("duplicate", [day(130), day(130)]), ("not_a_date", ["soon"]),
                       ("impossible", ["2027-02-30"]), ("not_array", "2027-03-15"), ("null_item", [None])]:
        add(f"specific_days/{name}", "specific_required_days", {**base, "specific_required_days": days})
    for name, v in [("missing", REMOVE), ("string", "yes"), ("null", None)]:
        add(f"is_flexible/{name}", "is_flexible", with_field(base, "is_flexible", v))
    add("missing_start", "expected_start_date", with_field(base, "expected_start_date", REMOVE))
    add("missing_end", "expected_end_date", with_field(base, "expected_end_date", REMOVE))
    add("unknown_field", "duration", {**base, "duration": 10})
    return out


def transition_cases():
    out = []
    for name, body, fld in [("reason_missing", {}, "reason"), ("reason_empty", {"reason": ""}, "reason"),
                            ("reason_spaces", {"reason": "   "}, "reason"), ("reason_501", {"reason": "r" * 501}, "reason"),
                            ("reason_number", {"reason": 42}, "reason"), ("reason_null", {"reason": None}, "reason"),
                            ("unknown_field", {"reason": "ok", "notify": True}, "notify")]:
        out.append(Case(f"cancel/{name}", "sm1", "POST", "/api/v1/opportunities/{draft}/cancel", 400,
                        "VALIDATION_ERROR", fld, body=body))
    status_path = "/api/v1/opportunities/{matches_found}/status"
    for name, body, fld in [("missing", {}, "status"), ("unknown", {"status": "FLYING"}, "status"),
                            ("number", {"status": 42}, "status"), ("lower", {"status": "architect_selected"}, "status"),
                            ("architect_missing", {"status": "ARCHITECT_SELECTED"}, "selected_architect_id"),
                            ("note_number", {"status": "ARCHITECT_SELECTED", "selected_architect_id": k_absent,
                                             "note": 42}, "note"),
                            ("architect_number", {"status": "ARCHITECT_SELECTED", "selected_architect_id": 42},
                             "selected_architect_id"),
                            ("unknown_field", {"status": "ARCHITECT_SELECTED", "selected_architect_id": k_absent,
                                               "priority": "HIGH"}, "priority")]:
        out.append(Case(f"status/{name}", "service", "POST", status_path, 400, "VALIDATION_ERROR", fld, body=body))
    out.append(Case("submit/broken_json", "sm1", "POST", "/api/v1/opportunities/{draft}/submit", 400,
                    "VALIDATION_ERROR", raw=b"{"))
    out.append(Case("submit/array_body", "sm1", "POST", "/api/v1/opportunities/{draft}/submit", 400,
                    "VALIDATION_ERROR", body=[]))
    return out


def catalog_cases():
    out = []
    for name, fld, v in [("name_missing", "name", REMOVE), ("name_empty", "name", ""), ("name_spaces", "name", "   "),
                         ("name_number", "name", 42), ("name_null", "name", None), ("industry_missing", "industry", REMOVE),
                         ("industry_number", "industry", 42), ("website_number", "website", 42),
                         ("contact_string", "primary_contact", "Pat"),
                         ("contact_partial", "primary_contact", {"name": "Pat"}),
                         ("unknown_field", "is_active", False)]:
        out.append(Case(f"customer/{name}", "sm1", "POST", "/api/v1/customers", 400, "VALIDATION_ERROR", fld,
                        body=with_field(k_customer, fld, v)))
    out.append(Case("customer/contact_bad_email", "sm1", "POST", "/api/v1/customers", 400, "VALIDATION_ERROR",
                    "primary_contact.email",
                    body={**k_customer, "primary_contact": {"name": "Pat", "email": "not-an-email", "phone": "1"}}))
    for name, fld, v in [("name_missing", "name", REMOVE), ("name_empty", "name", ""), ("name_number", "name", 42),
                         ("category_missing", "category", REMOVE), ("category_unknown", "category", "MAGIC"),
                         ("category_lower", "category", "technical"), ("description_missing", "description", REMOVE),
                         ("description_number", "description", 42), ("synonyms_string", "synonyms", "x"),
                         ("synonyms_numbers", "synonyms", [1]), ("related_not_uuid", "related_skill_ids", ["nope"]),
                         ("related_string", "related_skill_ids", "x"), ("subcategory_number", "subcategory", 42),
                         ("unknown_field", "is_active", True)]:
        out.append(Case(f"skill/{name}", "admin", "POST", "/api/v1/skills", 400, "VALIDATION_ERROR", fld,
                        body=with_field(k_skill, fld, v)))
    for name, body, fld in [("is_active_string", {"is_active": "no"}, "is_active"), ("name_empty", {"name": ""}, "name"),
                            ("category_unknown", {"category": "X"}, "category"),
                            ("synonyms_null_item", {"synonyms": [None]}, "synonyms"),
                            ("unknown_field", {"id": k_absent}, "id")]:
        out.append(Case(f"skill_patch/{name}", "admin", "PATCH", "/api/v1/skills/{skill}", 400, "VALIDATION_ERROR",
                        fld, body=body))
    out.append(Case("skill_patch/bad_id", "admin", "PATCH", "/api/v1/skills/nope", 400, "VALIDATION_ERROR", "id",
                    body={"description": "x"}))
    out.append(Case("skill_patch/absent", "admin", "PATCH", f"/api/v1/skills/{k_absent}", 404, "NOT_FOUND",
                    body={"description": "x"}))
    for name, body, fld in [("string", {"is_active": "false"}, "is_active"), ("missing", {}, "is_active"),
                            ("null", {"is_active": None}, "is_active"), ("unknown_field", {"is_active": True, "role": "ADMIN"},
                                                                      "role")]:
        out.append(Case(f"user_patch/{name}", "admin", "PATCH", "/api/v1/users/{sm2}", 400, "VALIDATION_ERROR", fld,
                        body=body))
    out.append(Case("user_patch/absent", "admin", "PATCH", f"/api/v1/users/{k_absent}", 404, "NOT_FOUND",
                    body={"is_active": False}))
    return out


def path_cases():
    out = []
    for bad in k_bad_ids[:3]:
        for label, caller, method, tmpl in [
            ("get_opportunity", "sm1", "GET", "/api/v1/opportunities/{x}"),
            ("get_customer", "sm1", "GET", "/api/v1/customers/{x}"),
            ("get_skill", "sm1", "GET", "/api/v1/skills/{x}"),
            ("status_history", "sm1", "GET", "/api/v1/opportunities/{x}/status-history"),
            ("changes", "sm1", "GET", "/api/v1/opportunities/{x}/changes"),
            ("submit", "sm1", "POST", "/api/v1/opportunities/{x}/submit"),
        ]:
            out.append(Case(f"path/{label}/{bad}", caller, method, tmpl.replace("{x}", bad), 400, "VALIDATION_ERROR",
                            "id", content_type=None))
    for label, method, tmpl in [("get_opportunity", "GET", "/api/v1/opportunities/{x}"),
                                ("get_customer", "GET", "/api/v1/customers/{x}"),
                                ("get_skill", "GET", "/api/v1/skills/{x}"),
                                ("status_history", "GET", "/api/v1/opportunities/{x}/status-history"),
                                ("submit", "POST", "/api/v1/opportunities/{x}/submit")]:
        out.append(Case(f"path/{label}/absent", "sm1", method, tmpl.replace("{x}", k_absent), 404, "NOT_FOUND",
                        content_type=None))
    return out


def query_cases():
    out = []

    def add(name, caller, path, params, fld):
        out.append(Case(f"query/{name}", caller, "GET", path, 400, "VALIDATION_ERROR", fld, content_type=None,
                        params=params))

    for v in ["0", "101", "-1", "abc", "1.5", "", "1e2", " 5"]:
        add(f"opportunities/limit={v!r}", "sm1", "/api/v1/opportunities", {"limit": v}, "limit")
    lists = [("customers", "sm1", "/api/v1/customers"), ("skills", "sa", "/api/v1/skills"),
             ("users", "admin", "/api/v1/users"), ("audit", "admin", "/api/v1/admin/audit"),
             ("status_history", "sm1", "/api/v1/opportunities/{draft}/status-history"),
             ("changes", "sm1", "/api/v1/opportunities/{draft}/changes")]
    for name, caller, path in lists:
        for v in ["0", "101", "abc"]:
            add(f"{name}/limit={v}", caller, path, {"limit": v}, "limit")
        add(f"{name}/cursor=garbage", caller, path, {"cursor": "garbage!!"}, "cursor")
    for v in ["garbage", "!!!", "eyJ4IjoxfQ", "AAAAAAAAAAAAAAAAAAAA"]:
        add(f"opportunities/cursor={v}", "sm1", "/api/v1/opportunities", {"cursor": v}, "cursor")
    for v in ["name", "--created_at", "+title", "", "TITLE", "created_at,title", "status"]:
        add(f"opportunities/sort={v!r}", "sm1", "/api/v1/opportunities", {"sort": v}, "sort")
    opp = "/api/v1/opportunities"
    for name, params, fld in [("status_unknown", {"status": "UNKNOWN"}, "status"),
                              ("status_lower", {"status": "draft"}, "status"),
                              ("status_one_bad_of_two", {"status": ["DRAFT", "NOPE"]}, "status"),
                              ("priority", {"priority": "URGENT"}, "priority"),
                              ("customer_id", {"customer_id": "nope"}, "customer_id"),
                              ("created_from_word", {"created_from": "yesterday"}, "created_from"),
                              ("created_from_month_13", {"created_from": "2026-13-01T00:00:00Z"}, "created_from"),
                              ("created_to", {"created_to": "x"}, "created_to"),
                              ("needs_attention", {"needs_attention": "maybe"}, "needs_attention")]:
        add(f"opportunities/{name}", "sm1", opp, params, fld)
    add("skills/category", "sa", "/api/v1/skills", {"category": "MAGIC"}, "category")
    add("skills/include_inactive", "sa", "/api/v1/skills", {"include_inactive": "perhaps"}, "include_inactive")
    return out


def header_cases():
    return [
        Case("headers/huge_custom_header", "sm1", "GET", "/api/v1/me", 431, "*", content_type=None,
             headers={"X-Padding": "p" * (17 * 1024)}),
        Case("headers/many_headers", "sm1", "GET", "/api/v1/me", 431, "*", content_type=None,
             headers={f"X-Pad-{i}": "q" * 100 for i in range(200)}),
    ]


def all_cases():
    cases = (opportunity_cases() + patch_opportunity_cases() + problem_statement_cases() + requirement_cases() +
             timeline_cases() + transition_cases() + catalog_cases() + path_cases() + query_cases() + header_cases())
    ids = [c.id for c in cases]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    return cases
