"""The audit log: entries for changes and a verifiable chain."""

from support.factory import (opp_path)


def test_audit_records_changes_and_the_chain_verifies(api, callers, env):
    admin = api("admin")
    opp = env.draft()
    api("sm1").patch(opp_path(opp["id"]), json={"title": "Audited title"}, expect=200)
    entries = admin.get("/api/v1/admin/audit", params={"entity_id": opp["id"], "limit": 100},
                        expect=200).json["items"]
    assert len(entries) >= 2
    assert all(e["entity_id"] == opp["id"] for e in entries)
    assert {e["actor_id"] for e in entries} == {callers["sm1"].sub}
    seqs = [e["seq"] for e in entries]
    assert len(set(seqs)) == len(seqs)
    verify = admin.get("/api/v1/admin/audit/verify", expect=200).json
    assert verify["valid"] is True and verify["first_broken_seq"] is None and verify["problem"] is None
    assert verify["entries_checked"] >= max(seqs)
