"""Cancelling an opportunity and reactivating it within 90 days."""

import datetime

from support.client import assert_problem
from support.factory import (opp_path, parse_time)


def test_cancel_and_reactivate_returns_to_previous_status(api, env):
    sm1 = api("sm1")
    opp = env.in_status("MATCHES_FOUND")
    resp = sm1.post(opp_path(opp["id"], "/cancel"), json={})
    assert_problem(resp, 400, "VALIDATION_ERROR", "reason")
    cancelled = sm1.post(opp_path(opp["id"], "/cancel"), json={"reason": "Customer paused the project"},
                         expect=200).json
    assert cancelled["status"] == "CANCELLED"
    assert cancelled["status_before_cancellation"] == "MATCHES_FOUND"
    assert cancelled["cancellation_reason"] == "Customer paused the project"
    deadline = parse_time(cancelled["reactivation_deadline"]) - parse_time(cancelled["cancelled_at"])
    assert deadline == datetime.timedelta(days=90)
    assert_problem(sm1.post(opp_path(opp["id"], "/cancel"), json={"reason": "again"}), 409, "INVALID_TRANSITION")
    assert_problem(sm1.patch(opp_path(opp["id"]), json={"title": "x", "reason": "r"}), 409,
                   "MODIFICATION_NOT_ALLOWED")
    back = sm1.post(opp_path(opp["id"], "/reactivate"), expect=200).json
    assert back["status"] == "MATCHES_FOUND"
    assert_problem(sm1.post(opp_path(opp["id"], "/reactivate"), json={}), 409, "INVALID_TRANSITION")
    history = sm1.get(opp_path(opp["id"], "/status-history"), expect=200).json["items"]
    assert [(h["from_status"], h["to_status"]) for h in history[-2:]] == [("MATCHES_FOUND", "CANCELLED"),
                                                                        ("CANCELLED", "MATCHES_FOUND")]
    assert history[-2]["reason"] == "Customer paused the project"


def test_cancel_a_draft(api, env):
    sm1 = api("sm1")
    opp = env.draft()
    cancelled = sm1.post(opp_path(opp["id"], "/cancel"), json={"reason": "Duplicate entry"}, expect=200).json
    assert cancelled["status"] == "CANCELLED" and cancelled["status_before_cancellation"] == "DRAFT"
    assert sm1.post(opp_path(opp["id"], "/reactivate"), json={}, expect=200).json["status"] == "DRAFT"
