"""Modifying after submission: reasons, change records, frozen states, If-Match."""

from support.client import assert_problem
from support.factory import (create_skill, k_problem_statement, k_timeline, opp_path, parse_time)


def test_changes_outside_draft_need_a_reason_and_are_recorded(api, callers, env):
    sm1 = api("sm1")
    opp = env.in_status("SUBMITTED")
    resp = sm1.patch(opp_path(opp["id"]), json={"title": "A better title"})
    assert_problem(resp, 400, "VALIDATION_ERROR", "reason")
    resp = sm1.put(opp_path(opp["id"], "/timeline"), json=k_timeline)
    assert_problem(resp, 400, "VALIDATION_ERROR", "reason")
    updated = sm1.patch(opp_path(opp["id"]),
                        json={"title": "A better title", "priority": "CRITICAL", "reason": "Customer escalated"},
                        expect=200).json
    assert updated["title"] == "A better title" and updated["priority"] == "CRITICAL"
    assert updated["status"] == "SUBMITTED" and updated["version"] > opp["version"]
    changes = sm1.get(opp_path(opp["id"], "/changes"), expect=200).json["items"]
    by_field = {c["field"]: c for c in changes if c["reason"] == "Customer escalated"}
    assert by_field["title"]["old_value"] == opp["title"]
    assert by_field["title"]["new_value"] == "A better title"
    assert by_field["priority"]["old_value"] == "HIGH" and by_field["priority"]["new_value"] == "CRITICAL"
    assert by_field["title"]["changed_by"] == callers["sm1"].sub
    times = [parse_time(c["changed_at"]) for c in changes]
    assert times == sorted(times)


def test_nothing_changes_after_architect_selected(api, env):
    sm1, admin = api("sm1"), api("admin")
    opp = env.in_status("ARCHITECT_SELECTED")
    oid = opp["id"]
    reason = {"reason": "late change"}
    assert_problem(sm1.patch(opp_path(oid), json={"title": "nope", **reason}), 409, "MODIFICATION_NOT_ALLOWED")
    assert_problem(admin.patch(opp_path(oid), json={"title": "nope", **reason}), 409, "MODIFICATION_NOT_ALLOWED")
    assert_problem(sm1.put(opp_path(oid, "/problem-statement"), json={"content": k_problem_statement, **reason}),
                   409, "MODIFICATION_NOT_ALLOWED")
    assert_problem(sm1.put(opp_path(oid, "/timeline"), json={**k_timeline, **reason}), 409,
                   "MODIFICATION_NOT_ALLOWED")
    other_skill = create_skill(admin)
    resp = sm1.post(opp_path(oid, "/skill-requirements"),
                    json={"skill_id": other_skill["id"], "importance": "MUST_HAVE",
                          "minimum_proficiency": "BEGINNER", **reason})
    assert_problem(resp, 409, "MODIFICATION_NOT_ALLOWED")
    assert sm1.get(opp_path(oid), expect=200).json["version"] == opp["version"]


def test_if_match_stale_version_is_412(api, env):
    sm1 = api("sm1")
    opp = env.draft()
    etag = sm1.get(opp_path(opp["id"]), expect=200).headers["ETag"]
    first = sm1.patch(opp_path(opp["id"]), json={"title": "First"}, headers={"If-Match": etag}, expect=200)
    assert first.headers["ETag"] == f'"{first.json["version"]}"' != etag
    resp = sm1.patch(opp_path(opp["id"]), json={"title": "Second"}, headers={"If-Match": etag})
    assert_problem(resp, 412, "PRECONDITION_FAILED")
    resp = sm1.put(opp_path(opp["id"], "/timeline"), json=k_timeline, headers={"If-Match": etag})
    assert_problem(resp, 412, "PRECONDITION_FAILED")
    assert sm1.get(opp_path(opp["id"]), expect=200).json["title"] == "First"
    sm1.patch(opp_path(opp["id"]), json={"title": "Third"}, headers={"If-Match": "*"}, expect=200)
    sm1.patch(opp_path(opp["id"]), json={"title": "Fourth"}, headers={"If-Match": first.headers["ETag"]}, expect=412)
