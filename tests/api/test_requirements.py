"""Requiring skills: an opportunity's skill requirements, added, changed and removed, and what a
deactivated catalog skill means for them (story: require skills)."""

from support.client import assert_problem
from support.factory import (add_requirement, create_skill, k_problem_statement, k_timeline, opp_path)


def test_require_change_and_remove_skills(api, env):
    sm1, admin = api("sm1"), api("admin")
    opp = env.draft()
    language = create_skill(admin, category="LANGUAGE", subcategory=None)
    req = add_requirement(sm1, opp["id"], env.skill_id, "MUST_HAVE", "EXPERT")
    assert req["skill_id"] == env.skill_id and req["skill_type"] == "TECHNICAL"
    assert req["importance"] == "MUST_HAVE" and req["minimum_proficiency"] == "EXPERT"
    lang_req = add_requirement(sm1, opp["id"], language["id"], "NICE_TO_HAVE", "FLUENT")
    assert lang_req["skill_name"] == language["name"] and lang_req["skill_type"] == "LANGUAGE"

    # The same skill twice is refused.
    resp = sm1.post(opp_path(opp["id"], "/skill-requirements"),
                    json={"skill_id": env.skill_id, "importance": "NICE_TO_HAVE", "minimum_proficiency": "BEGINNER"})
    assert resp.status in (400, 409) and resp.code in ("VALIDATION_ERROR", "DUPLICATE"), resp.describe()

    changed = sm1.patch(opp_path(opp["id"], f"/skill-requirements/{req['id']}"),
                        json={"minimum_proficiency": "INTERMEDIATE"}, expect=200).json
    assert changed["minimum_proficiency"] == "INTERMEDIATE" and changed["importance"] == "MUST_HAVE"

    sm1.delete(opp_path(opp["id"], f"/skill-requirements/{lang_req['id']}"), expect=204)
    full = sm1.get(opp_path(opp["id"]), expect=200).json
    assert [r["id"] for r in full["skill_requirements"]] == [req["id"]]
    assert full["skill_requirements"][0]["minimum_proficiency"] == "INTERMEDIATE"


def test_deactivated_skill_blocks_new_requirements_keeps_existing(api, env):
    admin, sm1 = api("admin"), api("sm1")
    skill = create_skill(admin)
    with_it = env.draft()
    req = add_requirement(sm1, with_it["id"], skill["id"])
    edited = admin.patch(f"/api/v1/skills/{skill['id']}", json={"is_active": False, "description": "Retired"},
                         expect=200).json
    assert edited["is_active"] is False and edited["description"] == "Retired"
    fresh = env.draft()
    resp = sm1.post(opp_path(fresh["id"], "/skill-requirements"),
                    json={"skill_id": skill["id"], "importance": "MUST_HAVE", "minimum_proficiency": "EXPERT"})
    assert_problem(resp, 400, "VALIDATION_ERROR", "skill_id")
    kept = sm1.get(opp_path(with_it["id"]), expect=200).json["skill_requirements"]
    assert [r["id"] for r in kept] == [req["id"]]
    # The existing requirement still counts for submission.
    sm1.put(opp_path(with_it["id"], "/problem-statement"), json={"content": k_problem_statement}, expect=200)
    sm1.put(opp_path(with_it["id"], "/timeline"), json=k_timeline, expect=200)
    assert sm1.post(opp_path(with_it["id"], "/submit"), expect=200).json["status"] == "SUBMITTED"
