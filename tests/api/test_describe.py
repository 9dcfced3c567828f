"""Describing the problem: the opportunity's problem statement (story: describe the problem)."""

from support.factory import k_problem_statement, opp_path


def test_describe_the_problem(api, env):
    sm1 = api("sm1")
    opp = env.draft()
    after_ps = sm1.put(opp_path(opp["id"], "/problem-statement"), json={"content": k_problem_statement},
                       expect=200).json
    assert after_ps["problem_statement"]["content"] == k_problem_statement
    assert after_ps["version"] > opp["version"]
    full = sm1.get(opp_path(opp["id"]), expect=200).json
    assert full["problem_statement"]["content"] == k_problem_statement
