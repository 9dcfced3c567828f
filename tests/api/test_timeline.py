"""Setting the timeline of an opportunity (story: set the timeline)."""

from support.factory import add_requirement, k_problem_statement, k_timeline, opp_path


def test_set_the_timeline(api, env):
    sm1 = api("sm1")
    opp = env.draft()
    after_tl = sm1.put(opp_path(opp["id"], "/timeline"), json=k_timeline, expect=200).json
    assert after_tl["timeline"] == k_timeline
    full = sm1.get(opp_path(opp["id"]), expect=200).json
    assert full["timeline"] == k_timeline


def test_the_timeline_leaves_the_other_parts_of_the_description(api, env):
    # The three parts are written by three routes: setting one keeps the others as they were.
    sm1 = api("sm1")
    opp = env.draft()
    sm1.put(opp_path(opp["id"], "/problem-statement"), json={"content": k_problem_statement}, expect=200)
    req = add_requirement(sm1, opp["id"], env.skill_id, "MUST_HAVE", "EXPERT")
    sm1.put(opp_path(opp["id"], "/timeline"), json=k_timeline, expect=200)
    full = sm1.get(opp_path(opp["id"]), expect=200).json
    assert [r["id"] for r in full["skill_requirements"]] == [req["id"]]
    assert full["timeline"] == k_timeline and full["problem_statement"]["content"] == k_problem_statement
