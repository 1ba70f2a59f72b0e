"""Crash durability (security.md §4.5): SIGKILL the server in the middle of writes, many times. After each restart the
SQLite file passes its integrity check and every write the server acknowledged (HTTP 303) is present. Then the audit
chain verifies, and a hand-edited audit record is caught by `dangjian audit verify`."""
import os
import random
import re
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import requests

from conftest import BINARY, Session, seed_demo

ROUNDS = 20


def test_sigkill_during_writes_loses_no_acknowledged_write(server):
    server.cli("migrate", "--database-url", str(server.database))
    passwords = seed_demo(server)
    rng = random.Random(20261122)
    acknowledged: list[str] = []
    for round_no in range(ROUNDS):
        server.start()
        session = Session(server.url)
        session.login("jggw", passwords["jggw"])
        page = session.http.get(server.url + "/orgs", timeout=10).text
        parent = re.search(r'href="/orgs/(\d+)">中共示范县直属机关工作委员会<', page).group(1)
        stop = threading.Event()

        def writer(thread_no: int):
            i = 0
            while not stop.is_set():
                # Each thread its own names: ORGNAME-01 refuses a second 党组织 of one name under one parent.
                name = f"压力测试支部-{round_no}-{thread_no}-{i}"
                try:
                    r = session.http.post(server.url + "/orgs", data={
                        "_csrf": session.csrf, "parent_id": parent, "org_type": "branch", "name": name}, allow_redirects=False, timeout=5)
                except requests.RequestException:
                    return
                if r.status_code == 303:
                    acknowledged.append(name)
                i += 1

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
        for t in threads:
            t.start()
        time.sleep(rng.uniform(0.3, 1.5))
        server.kill()
        stop.set()
        for t in threads:
            t.join(timeout=10)
        db = sqlite3.connect(server.database)
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok", f"round {round_no}"
        names = {row[0] for row in db.execute("SELECT name FROM organisations")}
        db.close()
        missing = [n for n in acknowledged if n not in names]
        assert not missing, f"round {round_no}: acknowledged writes lost: {missing[:5]}"
    print(f"crash test: {ROUNDS} SIGKILLs, {len(acknowledged)} acknowledged writes, none lost")
    assert len(acknowledged) > ROUNDS

    # The audit trail survived the kills intact…
    verify = server.cli("audit", "verify", "--database-url", str(server.database), check=False)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    # …and a record edited by hand is reported.
    db = sqlite3.connect(server.database)
    target = db.execute("SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 10").fetchone()[0]
    db.execute("DROP TRIGGER audit_log_no_update")
    db.execute("UPDATE audit_log SET actor_name = 'someone else' WHERE id = ?", (target,))
    db.commit()
    db.close()
    tampered = server.cli("audit", "verify", "--database-url", str(server.database), check=False)
    assert tampered.returncode == 2
    assert f"第一条异常记录编号 {target}" in tampered.stdout, tampered.stdout


def test_backup_and_restore_commands_round_trip(server):
    server.cli("migrate", "--database-url", str(server.database))
    seed_demo(server)
    backup = server.workdir / "backups" / "b.sqlite"
    out = server.cli("backup", "--output", str(backup), "--database-url", str(server.database)).stdout
    assert "备份完成" in out and backup.exists()
    counts_before = re.findall(r"organisations: (\d+)", out)
    db = sqlite3.connect(server.database)
    db.execute("UPDATE organisations SET name = '备份后改名' WHERE id = 1")
    db.commit()
    db.close()
    refused = server.cli("restore", "--input", str(backup), "--database-url", str(server.database), check=False)
    assert refused.returncode != 0 and "--yes" in refused.stderr + refused.stdout
    restored = server.cli("restore", "--input", str(backup), "--yes", "--database-url", str(server.database)).stdout
    assert "恢复完成" in restored
    assert re.findall(r"organisations: (\d+)", restored) == counts_before
    db = sqlite3.connect(server.database)
    assert db.execute("SELECT name FROM organisations WHERE id = 1").fetchone()[0] == "中共示范县委员会"
    db.close()
    verify = server.cli("audit", "verify", "--database-url", str(server.database), check=False)
    assert verify.returncode == 0, verify.stdout


def test_audit_verify_catches_a_deleted_tail(server):
    """Issue 15, M5: the server writes the chain's head to an append-only file; deleting the last audit records
    (which keeps the chain itself consistent) is caught by `audit verify` against that file."""
    server.cli("migrate", "--database-url", str(server.database))
    seed_demo(server)
    server.start()
    anchor = Path(str(server.database) + ".audit-anchor")
    for _ in range(100):
        if anchor.exists() and anchor.read_text().strip():
            break
        time.sleep(0.1)
    server.stop()
    assert anchor.read_text().strip(), "the server wrote no anchor at start"
    ok = server.cli("audit", "verify", "--database-url", str(server.database), check=False)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    db = sqlite3.connect(server.database)
    last = db.execute("SELECT MAX(id) FROM audit_log").fetchone()[0]
    db.execute("DROP TRIGGER audit_log_no_delete")
    db.execute("DELETE FROM audit_log WHERE id > ?", (last - 3,))
    db.commit()
    db.close()
    tampered = server.cli("audit", "verify", "--database-url", str(server.database), check=False)
    assert tampered.returncode == 2, tampered.stdout + tampered.stderr
    assert "已不存在" in tampered.stdout


def test_audit_verify_refuses_a_missing_database(server):
    """Issue 15, L14: pointing `audit verify` at a file that is not there reports it and creates nothing."""
    missing = server.workdir / "nowhere" / "missing.sqlite"
    result = server.cli("audit", "verify", "--database-url", str(missing), check=False)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "找不到数据库文件" in result.stdout
    assert not missing.exists() and not missing.parent.exists()


def test_commands_never_create_the_database_they_are_asked_about(tmp_path):
    """Issue 17, item 15: `audit verify`, `backup` and the `admin` commands run without --database-url beside a demo
    database say which file they looked for, point at the demo's, and create nothing."""
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "demo.sqlite").write_bytes(b"")
    env = dict(os.environ)
    for name in ("DANGJIAN_DATABASE_URL", "DANGJIAN_SECRET_KEY"):
        env.pop(name, None)
    for args in (["audit", "verify"], ["backup"], ["admin", "unlock", "--username", "nobody"]):
        result = subprocess.run([str(BINARY), *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert "找不到数据库文件 data/dangjian.sqlite" in result.stdout, (args, result.stdout)
        assert "data/demo.sqlite" in result.stdout, (args, result.stdout)
        assert not (tmp_path / "data" / "dangjian.sqlite").exists(), args
        assert not (tmp_path / "backups").exists(), args
