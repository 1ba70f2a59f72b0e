#!/usr/bin/env python3
"""Issue 19's benchmark (prints figures, asserts nothing): a release `dangjian` on a copy of the city tier the
driver generated (BENCH_SOURCE, default /tmp/djb2: 5,000 organisations, 300,000 members), then
  * `dangjian demo --assessment-scale`: a round of 500 units × 30 indicators × 5 assessors, every sheet submitted
    (2,500 sheets through the repository), timed;
  * the round's results (aggregate with trimming, rank, grade) as JSON, as the page and as the .xlsx — five
    requests each, wall time;
  * the automatic indicators for the 500 units' subtrees (all 5,000 organisations) at the data cut-off, twice;
  * wrk -t2 -c32: an assessor's sheet page for one unit.

    BENCH_SOURCE=/tmp/djb2 BENCH_DIR=/tmp/djb3 /tmp/e2evenv/bin/python bench/assessment.py .build/release/dangjian
"""
import json, os, re, shutil, socket, subprocess, sys, time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "e2e"))
import otp  # noqa: E402

BIN = Path(sys.argv[1] if len(sys.argv) > 1 else ".build/release/dangjian").resolve()
SOURCE = Path(os.environ.get("BENCH_SOURCE", "/tmp/djb2"))
WORK = Path(os.environ.get("BENCH_DIR", "/tmp/djb3"))
WORK.mkdir(parents=True, exist_ok=True)
ENV = dict(os.environ, DANGJIAN_DATABASE_URL=str(WORK / "bench.sqlite"), DANGJIAN_SECRET_KEY_FILE=str(WORK / "secret.key"), DANGJIAN_LOG_FORMAT="text")
results = {}


def log(msg):
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def timed(fn, n=5):
    times = []
    for _ in range(n):
        t0 = time.time()
        fn()
        times.append(round(time.time() - t0, 3))
    return times


for name in ("secret.key", "account.json"):
    shutil.copy(SOURCE / name, WORK / name)
for suffix in ("", "-wal", "-shm"):
    Path(str(WORK / "bench.sqlite") + suffix).unlink(missing_ok=True)
shutil.copy(SOURCE / "generated.sqlite", WORK / "bench.sqlite")
account = json.loads((WORK / "account.json").read_text())

log("seeding the round (500 units × 30 indicators × 5 assessors)")
t0 = time.time()
out = subprocess.run([str(BIN), "demo", "--assessment-scale"], env=ENV, capture_output=True, text=True, check=True).stdout
results["seed_s"] = round(time.time() - t0, 1)
round_id = re.search(r"已生成规模考评：轮次 (\d+)", out).group(1)
assessors = {m.group(1): m.group(2) for m in re.finditer(r"^\s+\S+\t(scale_assessor_\d+)\t(\S+)\t", out, re.M)}

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
base = f"http://127.0.0.1:{port}"
server = subprocess.Popen([str(BIN), "serve", "--port", str(port)], env=ENV, stdout=open(WORK / "server.log", "w"), stderr=subprocess.STDOUT)
try:
    for _ in range(300):
        try:
            if requests.get(base + "/livez", timeout=1).status_code == 200:
                break
        except requests.RequestException:
            time.sleep(0.2)

    def login(username, password, secret=None):
        http = requests.Session()
        token = re.search(r'name="_csrf" value="([^"]+)"', http.get(base + "/login").text).group(1)
        signed = http.post(base + "/login", data={"username": username, "password": password, "_csrf": token})
        if "/login/verify" in signed.url:
            csrf = re.search(r'name="_csrf" value="([^"]+)"', signed.text).group(1)
            http.post(base + "/login/verify", data={"code": otp.code(secret), "_csrf": csrf})
        home = http.get(base + "/assessment").text
        return http, re.search(r'name="_csrf" value="([^"]+)"', home).group(1), home

    office, csrf, _ = login(account["user"], account["password"], account["secret"])
    path = f"/assessment/rounds/{round_id}"
    api = office.get(base + f"/api/v1/assessment/rounds/{round_id}/results").json()
    results["units"] = len(api["results"])
    results["visible"] = api["visible"]
    results["results_json_s"] = timed(lambda: office.get(base + f"/api/v1/assessment/rounds/{round_id}/results", timeout=300))
    results["results_page_s"] = timed(lambda: office.get(base + path + "/results", timeout=300))
    results["results_xlsx_s"] = timed(lambda: office.get(base + path + "/results?format=xlsx", timeout=300), n=2)
    results["auto_s"] = timed(lambda: office.post(base + path + "/auto", data={"_csrf": csrf}, timeout=600), n=2)
    user = sorted(assessors)[0]
    assessor, _, home = login(user, assessors[user])
    sheet = re.search(r'href="(/assessment/units/\d+/sheet)"', home).group(1)
    cookie = "Cookie: " + "; ".join(f"{k}={v}" for k, v in assessor.cookies.items())
    out = subprocess.run(["wrk", "-t2", "-c32", "-d15s", "--latency", "-H", cookie, base + sheet], capture_output=True, text=True).stdout
    results["sheet_page"] = {
        "rps": re.search(r"Requests/sec:\s+([\d.]+)", out).group(1),
        "p50": re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1),
        "p99": re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1),
        "non_2xx": (re.search(r"Non-2xx or 3xx responses: (\d+)", out) or [None, "0"])[1],
    }
finally:
    server.terminate()
print(json.dumps(results, ensure_ascii=False, indent=1))
