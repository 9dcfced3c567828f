"""`oms backup` / `oms restore` of the embedded store: a backup taken while the server keeps
writing, restored into a fresh data directory, serves every customer acknowledged before the
backup began, and its audit chain verifies. On PostgreSQL the commands refuse and say where its
backups come from (base backups and the WAL archive)."""
import subprocess
import threading


from support.client import Api
from support.server import OmsServer, own_server
from support import rand


def run_oms(binary, args):
    return subprocess.run([str(binary), *args], capture_output=True, text=True, timeout=120)


def test_backup_while_writing_then_restore_verifies(oms_binary, store, openapi, tmp_path_factory):
    data = tmp_path_factory.mktemp("oms-backup")
    backup = data / "backup.db"
    if store != "sqlite":
        with own_server(oms_binary, store, data) as srv:
            out = run_oms(oms_binary, ["backup", "--to", str(backup), *srv.common_args()])
            assert out.returncode == 2, out
            assert "WAL archive" in out.stderr and "deploy/local/dr-drill" in out.stderr, out.stderr
            assert not backup.exists()
        return

    with own_server(oms_binary, store, data) as srv:
        admin = Api(srv.base_url, openapi, srv.token("ADMIN", str(rand.uuid4()), "Backup Admin", "backup@example.com"))
        before = [admin.post("/api/v1/customers", json={"name": f"Before {i} {rand.uuid4()}", "industry": "Retail"},
                             expect=201).json["id"] for i in range(5)]
        # Writes go on during the backup (bounded: 40 creates).
        stop = threading.Event()
        during = []

        def keep_writing():
            writer = Api(srv.base_url, openapi, admin.token)
            for i in range(40):
                if stop.is_set():
                    break
                during.append(writer.post("/api/v1/customers", json={"name": f"During {i} {rand.uuid4()}",
                                                                     "industry": "Retail"}).status)

        t = threading.Thread(target=keep_writing)
        t.start()
        out = run_oms(oms_binary, ["backup", "--to", str(backup), *srv.common_args()])
        stop.set()
        t.join()
        assert out.returncode == 0, out
        assert "integrity ok" in out.stdout, out.stdout
        assert all(code == 201 for code in during), during
        # A backup never overwrites.
        again = run_oms(oms_binary, ["backup", "--to", str(backup), *srv.common_args()])
        assert again.returncode == 1 and "exists already" in again.stderr, again

    restored_dir = tmp_path_factory.mktemp("oms-restored")
    restored = OmsServer(oms_binary, "sqlite", restored_dir, extra_args=["--rate-limit-per-second", "0"])
    out = run_oms(oms_binary, ["restore", "--from", str(backup), *restored.common_args()])
    assert out.returncode == 0, out
    restored.start()
    try:
        admin = Api(restored.base_url, openapi,
                    restored.token("ADMIN", str(rand.uuid4()), "Restore Admin", "restore@example.com"))
        for cid in before:
            admin.get(f"/api/v1/customers/{cid}", expect=200)
        verdict = admin.get("/api/v1/admin/audit/verify", expect=200).json
        assert verdict["valid"] is True and verdict["first_broken_seq"] is None, verdict
        assert verdict["entries_checked"] >= len(before) + 1, verdict
    finally:
        assert restored.stop() == 0, restored.log_tail()


def test_restore_refuses_a_damaged_backup(oms_binary, store, tmp_path):
    if store != "sqlite":
        out = run_oms(oms_binary, ["restore", "--from", str(tmp_path / "x.db"), "--database-url",
                                   "postgresql://oms@127.0.0.1:1/oms"])
        assert out.returncode == 2 and "sqlite://" in out.stderr, out
        return
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    target = tmp_path / "oms.db"
    out = run_oms(oms_binary, ["restore", "--from", str(damaged), "--database-url", f"sqlite://{target}"])
    assert out.returncode == 1, out
    assert not target.exists() or target.stat().st_size == 0, "a damaged backup must not be restored"
