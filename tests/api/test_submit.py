"""Submitting a draft for matching, with every unmet rule listed at once."""

from support.client import assert_problem
from support.factory import (add_requirement, complete_draft, create_opportunity, opp_path)


def test_submit_incomplete_lists_every_unmet_rule(api, env):
    sm1 = api("sm1")
    opp = env.draft()
    resp = sm1.post(opp_path(opp["id"], "/submit"))
    assert_problem(resp, 422, "SUBMISSION_INCOMPLETE")
    fields = set(resp.error_fields)
    for rule in ("problem_statement", "skill_requirements", "timeline"):
        assert any(f.startswith(rule) for f in fields), f"{rule} not listed: {resp.describe()}"
    # Only a NICE_TO_HAVE requirement: still missing a MUST_HAVE (and the other parts).
    add_requirement(sm1, opp["id"], env.skill_id, "NICE_TO_HAVE", "BEGINNER")
    resp = sm1.post(opp_path(opp["id"], "/submit"))
    assert_problem(resp, 422, "SUBMISSION_INCOMPLETE")
    assert any(f.startswith("skill_requirements") for f in resp.error_fields), resp.describe()
    assert any(f.startswith("timeline") for f in resp.error_fields), resp.describe()
    assert sm1.get(opp_path(opp["id"]), expect=200).json["status"] == "DRAFT"


def test_submit_twice_is_invalid_transition(api, env):
    opp = env.in_status("SUBMITTED")
    assert_problem(api("sm1").post(opp_path(opp["id"], "/submit")), 409, "INVALID_TRANSITION")


def test_complete_draft_helper_is_submittable(api, env):
    # Guards the helpers the other modules build on.
    opp = create_opportunity(api("sm1"), env.customer_id)
    full = complete_draft(api("sm1"), opp["id"], env.skill_id)
    assert full["timeline"] and full["problem_statement"] and full["skill_requirements"]
