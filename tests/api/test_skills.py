"""The skills catalog, as admins keep it and everyone reads it."""

from support.client import assert_problem
from support.factory import (create_skill, skill_body)
from support import rand


def test_seeded_catalog_has_at_least_40_skills_over_four_categories(api):
    items, cursor = [], None
    while True:
        params = {"limit": 100, "include_inactive": "true", **({"cursor": cursor} if cursor else {})}
        page = api("sa").get("/api/v1/skills", params=params, expect=200).json
        items += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(items) >= 40
    assert {s["category"] for s in items} == {"TECHNICAL", "SOFT", "INDUSTRY", "LANGUAGE"}
    names = [s["name"].lower() for s in items]
    assert len(names) == len(set(names)), "seeding twice duplicated skills"


def test_skill_filters_category_query_synonyms_inactive(api):
    admin, sm1 = api("admin"), api("sm1")
    marker = rand.uuid4().hex[:8]
    lang = create_skill(admin, name=f"Klingon {marker}", category="LANGUAGE", synonyms=[f"tlhingan{marker}"])
    tech = create_skill(admin, name=f"Tech {marker}", synonyms=[f"gadgetry{marker}"])
    got = sm1.get("/api/v1/skills", params={"category": "LANGUAGE", "limit": 100}, expect=200).json["items"]
    assert all(s["category"] == "LANGUAGE" for s in got)
    by_syn = sm1.get("/api/v1/skills", params={"query": f"TLHINGAN{marker}"}, expect=200).json["items"]
    assert [s["id"] for s in by_syn] == [lang["id"]]
    by_name = sm1.get("/api/v1/skills", params={"query": f"tech {marker}"}, expect=200).json["items"]
    assert [s["id"] for s in by_name] == [tech["id"]]
    none = sm1.get("/api/v1/skills", params={"query": f"gadgetry{marker}", "category": "LANGUAGE"},
                   expect=200).json["items"]
    assert none == []
    admin.patch(f"/api/v1/skills/{tech['id']}", json={"is_active": False}, expect=200)
    assert sm1.get("/api/v1/skills", params={"query": marker}, expect=200).json["items"] == [
        sm1.get(f"/api/v1/skills/{lang['id']}", expect=200).json]
    with_inactive = sm1.get("/api/v1/skills", params={"query": marker, "include_inactive": "true"},
                            expect=200).json["items"]
    assert {s["id"] for s in with_inactive} == {lang["id"], tech["id"]}
    assert sm1.get(f"/api/v1/skills/{tech['id']}", expect=200).json["is_active"] is False


def test_duplicate_skill_name_case_insensitive(api):
    admin = api("admin")
    skill = create_skill(admin)
    resp = admin.post("/api/v1/skills", json=skill_body(name=skill["name"].upper()))
    assert_problem(resp, 409, "DUPLICATE")
    other = create_skill(admin)
    assert_problem(admin.patch(f"/api/v1/skills/{other['id']}", json={"name": skill["name"].lower()}), 409,
                   "DUPLICATE")
