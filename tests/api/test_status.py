"""Tracking: the system transitions of the matching and selection services, and status history."""

import pytest

from support.client import assert_problem
from support.factory import (opp_path, transition, parse_time)
from support import rand


def test_full_lifecycle_and_status_history_oldest_first(api, callers, env):
    sm1, service = api("sm1"), api("service")
    opp = env.draft(complete=True)
    submitted = sm1.post(opp_path(opp["id"], "/submit"), json={}, expect=200).json
    assert submitted["status"] == "SUBMITTED" and submitted["submitted_at"] is not None
    architect = str(rand.uuid4())
    o = transition(service, opp["id"], "MATCHING_IN_PROGRESS", note="matching started")
    assert o["status"] == "MATCHING_IN_PROGRESS"
    o = transition(service, opp["id"], "MATCHES_FOUND")
    resp = service.post(opp_path(opp["id"], "/status"), json={"status": "ARCHITECT_SELECTED"})
    assert_problem(resp, 400, "VALIDATION_ERROR", "selected_architect_id")
    o = transition(service, opp["id"], "ARCHITECT_SELECTED", selected_architect_id=architect)
    assert o["selected_architect_id"] == architect
    o = transition(service, opp["id"], "COMPLETED")
    assert o["status"] == "COMPLETED" and o["completed_at"] is not None

    history = sm1.get(opp_path(opp["id"], "/status-history"), expect=200).json["items"]
    steps = [(h["from_status"], h["to_status"]) for h in history]
    assert steps[-5:] == [("DRAFT", "SUBMITTED"), ("SUBMITTED", "MATCHING_IN_PROGRESS"),
                          ("MATCHING_IN_PROGRESS", "MATCHES_FOUND"), ("MATCHES_FOUND", "ARCHITECT_SELECTED"),
                          ("ARCHITECT_SELECTED", "COMPLETED")]
    assert steps[0][1] == "DRAFT"
    times = [parse_time(h["changed_at"]) for h in history]
    assert times == sorted(times)
    assert history[-5]["changed_by"] == callers["sm1"].sub
    assert history[-1]["changed_by"] == callers["service"].sub
    assert history[-4]["reason"] == "matching started"

    # COMPLETED is terminal.
    assert_problem(sm1.post(opp_path(opp["id"], "/cancel"), json={"reason": "late"}), 409, "INVALID_TRANSITION")
    assert_problem(service.post(opp_path(opp["id"], "/status"), json={"status": "MATCHES_FOUND"}), 409,
                   "INVALID_TRANSITION")


@pytest.mark.parametrize("start,target", [
    ("DRAFT", "MATCHING_IN_PROGRESS"),
    ("DRAFT", "SUBMITTED"),
    ("SUBMITTED", "MATCHES_FOUND"),
    ("SUBMITTED", "COMPLETED"),
    ("MATCHING_IN_PROGRESS", "SUBMITTED"),
    ("MATCHES_FOUND", "DRAFT"),
    ("MATCHES_FOUND", "CANCELLED"),
    ("COMPLETED", "ARCHITECT_SELECTED"),
])
def test_invalid_system_transitions(api, env, start, target):
    opp = env.in_status(start)
    body = {"status": target}
    if target == "ARCHITECT_SELECTED":
        body["selected_architect_id"] = str(rand.uuid4())
    resp = api("service").post(opp_path(opp["id"], "/status"), json=body)
    assert_problem(resp, 409, "INVALID_TRANSITION")
    assert api("service").get(opp_path(opp["id"]), expect=200).json["status"] == start


def test_admin_acts_on_any_opportunity(api, env):
    opp = env.draft(complete=True)
    admin = api("admin")
    admin.patch(opp_path(opp["id"]), json={"priority": "LOW"}, expect=200)
    assert admin.post(opp_path(opp["id"], "/submit"), expect=200).json["status"] == "SUBMITTED"
    assert transition(admin, opp["id"], "MATCHING_IN_PROGRESS")["status"] == "MATCHING_IN_PROGRESS"
    changes = admin.get(opp_path(opp["id"], "/changes"), expect=200).json
    assert isinstance(changes["items"], list)
