#!/usr/bin/env python3
"""Concurrent writes on SQLite (issue 15, H3): prints figures, asserts nothing.

Runs a release build of `dangjian` on a fresh demo county (SQLite) and, all at once:
  * 200 member detail views (each writes an audit record) from 10 sessions of the same 党务工作者,
  * 50 sign-ins (the form's GET, then the POST) from 50 addresses,
  * /healthz every 20 ms while the others run.
It reports for each kind: count, errors (status >= 500 or no answer), p50/p99/max latency; the server's audit rows
for the views (none may be lost). Then the same again with 400 views and 100 sign-ins.
Usage: bench/concurrency.py path/to/release/dangjian   (BENCH_ROUNDS="200:50,0:50" chooses views:sign-ins per round)
"""
import json, os, re, socket, subprocess, sys, tempfile, threading, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

BIN = Path(sys.argv[1]).resolve()
WORK = Path(tempfile.mkdtemp(prefix="dangjian-concurrency-"))
ENV = dict(os.environ, DANGJIAN_DATABASE_URL=str(WORK / "c.sqlite"), DANGJIAN_SECRET_KEY_FILE=str(WORK / "secret.key"),
           DANGJIAN_TRUST_PROXY="true", DANGJIAN_LOGIN_IP_LIMIT="1000")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(values, p):
    if not values:
        return None
    values = sorted(values)
    return round(values[min(len(values) - 1, int(len(values) * p / 100))] * 1000, 1)


def summary(samples):
    times = [t for t, ok in samples]
    return {"n": len(samples), "errors": sum(1 for _, ok in samples if not ok), "p50_ms": pct(times, 50), "p99_ms": pct(times, 99),
            "max_ms": round(max(times) * 1000, 1) if times else None}


def sign_in(base, user, password, ip):
    s = requests.Session()
    page = s.get(base + "/login", timeout=60)
    token = re.search(r'name="_csrf" value="([^"]+)"', page.text).group(1)
    r = s.post(base + "/login", data={"username": user, "password": password, "_csrf": token}, headers={"X-Forwarded-For": ip},
               allow_redirects=False, timeout=60)
    return s, r


demo = subprocess.run([str(BIN), "demo"], env=ENV, capture_output=True, text=True, check=True)
m = re.search(r"党务工作者\s+(\S+)\s+(\S+)", demo.stdout)
user, password = m.group(1), m.group(2)
port = free_port()
base = f"http://127.0.0.1:{port}"
server = subprocess.Popen([str(BIN), "serve", "--port", str(port)], env=ENV, stdout=open(WORK / "server.log", "w"), stderr=subprocess.STDOUT)
results = {"machine": f"{os.cpu_count()} cores", "database": "SQLite (demo county)"}
try:
    for _ in range(300):
        try:
            if requests.get(base + "/livez", timeout=1).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(0.2)
    sessions = [sign_in(base, user, password, f"10.99.0.{i}")[0] for i in range(10)]
    members = [int(x) for x in re.findall(r'href="/members/(\d+)"', sessions[0].get(base + "/members?scope=subtree").text)]
    members = sorted(set(members)) or [1]

    def audit_views():
        out = subprocess.run(["sqlite3", str(WORK / "c.sqlite"), "SELECT COUNT(*) FROM audit_log WHERE action = 'person.view'"],
                             capture_output=True, text=True)
        return int(out.stdout.strip() or 0) if out.returncode == 0 else None

    rounds = [tuple(int(x) for x in r.split(":")) for r in os.environ.get("BENCH_ROUNDS", "200:50,400:100").split(",")]
    for views, logins in rounds:
        before = audit_views()
        samples = {"view": [], "login": [], "healthz": []}
        lock = threading.Lock()
        running = threading.Event()
        running.set()

        def record(kind, started, ok):
            with lock:
                samples[kind].append((time.perf_counter() - started, ok))

        def view(i):
            started = time.perf_counter()
            try:
                r = sessions[i % len(sessions)].get(f"{base}/members/{members[i % len(members)]}", timeout=120)
                record("view", started, r.status_code == 200)
            except requests.RequestException:
                record("view", started, False)

        def login(i):
            started = time.perf_counter()
            try:
                _, r = sign_in(base, user, password, f"10.98.{i // 250}.{i % 250}")
                record("login", started, r.status_code == 303)
            except requests.RequestException:
                record("login", started, False)

        def health():
            while running.is_set():
                started = time.perf_counter()
                try:
                    record("healthz", started, requests.get(base + "/healthz", timeout=60).status_code == 200)
                except requests.RequestException:
                    record("healthz", started, False)
                time.sleep(0.02)

        prober = threading.Thread(target=health)
        prober.start()
        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=views + logins) as pool:
            for i in range(views):
                pool.submit(view, i)
            for i in range(logins):
                pool.submit(login, i)
        wall = time.perf_counter() - t0
        running.clear()
        prober.join()
        after = audit_views()
        results[f"{views}_views_{logins}_logins"] = {
            "wall_s": round(wall, 2), "views": summary(samples["view"]), "logins": summary(samples["login"]),
            "healthz": summary(samples["healthz"]),
            "views_audited": None if before is None or after is None else after - before,
        }
    results["server_errors_in_log"] = (WORK / "server.log").read_text().count("request failed")
finally:
    server.terminate()
    server.wait(timeout=30)
print(json.dumps(results, ensure_ascii=False, indent=2))
