#!/usr/bin/env python3
"""Issue 19's 述职评议 benchmark (prints figures, asserts nothing): a release `dangjian` on the demo county (the 县委,
zzb) or, with BENCH_SOURCE, on a copy of the city tier (its administrator); the organiser opens a round with up to
100 reporters (the tree's organisations), prints 200 one-time ballot codes, and 200
attendees ballot at once (32 concurrent connections), each paper grading every reporter — the meeting's peak: then
the round page, closing every ballot (comment + close), and the confirmation.

    BENCH_DIR=/tmp/djr /tmp/e2evenv/bin/python bench/review.py .build/release/dangjian
    BENCH_SOURCE=/tmp/djb2 BENCH_DIR=/tmp/djr /tmp/e2evenv/bin/python bench/review.py .build/release/dangjian
"""
import json, os, re, shutil, socket, subprocess, sys, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "e2e"))
import otp  # noqa: E402

BIN = Path(sys.argv[1] if len(sys.argv) > 1 else ".build/release/dangjian").resolve()
WORK = Path(os.environ.get("BENCH_DIR", "/tmp/djr"))
shutil.rmtree(WORK, ignore_errors=True)
WORK.mkdir(parents=True)
DB = WORK / "bench.sqlite"
ENV = dict(os.environ, DANGJIAN_DATABASE_URL=str(DB), DANGJIAN_SECRET_KEY_FILE=str(WORK / "secret.key"), DANGJIAN_LOG_FORMAT="text")
results = {}


def log(msg):
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def percentile(values, p):
    values = sorted(values)
    return round(values[min(len(values) - 1, int(len(values) * p / 100))], 3)


SOURCE = os.environ.get("BENCH_SOURCE")
if SOURCE:
    # The city tier the driver generated: its administrator organises, the reporters are its first 100 units.
    for name in ("secret.key",):
        shutil.copy(Path(SOURCE) / name, WORK / name)
    shutil.copy(Path(SOURCE) / "generated.sqlite", DB)
    account = json.loads((Path(SOURCE) / "account.json").read_text())
    subprocess.run([str(BIN), "migrate"], env=ENV, capture_output=True, text=True, check=True)
    USER, passwords, secrets = account["user"], {account["user"]: account["password"]}, {account["user"]: account["secret"]}
else:
    subprocess.run([str(BIN), "migrate"], env=ENV, capture_output=True, text=True, check=True)
    out = subprocess.run([str(BIN), "demo"], env=ENV, capture_output=True, text=True, check=True).stdout
    passwords = {m.group(1): m.group(2) for m in re.finditer(r"^\s+\S+\t(\S+)\t(\S+)\t", out, re.M)}
    secrets = {m.group(1): m.group(2) for m in re.finditer(r"^\s+\S+\t(\S+)\t\S+\t[^\t\n]*\t动态口令密钥 (\S+)$", out, re.M)}
    USER = "zzb"

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
    http = requests.Session()
    token = re.search(r'name="_csrf" value="([^"]+)"', http.get(base + "/login").text).group(1)
    signed = http.post(base + "/login", data={"username": USER, "password": passwords[USER], "_csrf": token})
    if "/login/verify" in signed.url:
        csrf = re.search(r'name="_csrf" value="([^"]+)"', signed.text).group(1)
        http.post(base + "/login/verify", data={"code": otp.code(secrets[USER]), "_csrf": csrf})
    overview = http.get(base + "/review").text
    csrf = re.search(r'name="_csrf" value="([^"]+)"', overview).group(1)
    org = re.search(r'<select id="review_org" name="org"><option value="(\d+)"', overview).group(1)
    units = re.findall(r'<option value="(\d+)">', re.search(r'<select id="review_units".*?</select>', overview, re.S).group(0))[:100]
    t0 = time.time()
    r = http.post(base + "/review/rounds", data={"_csrf": csrf, "org": org, "name": "规模述职评议", "year": "2026", "held_on": time.strftime("%Y-%m-%d"),
                                                  "units": units}, allow_redirects=False)
    results["open_round_s"] = round(time.time() - t0, 3)
    round_path = r.headers["Location"]
    round_id = round_path.rsplit("/", 1)[1]
    page = http.get(base + round_path).text
    reporters = list(dict.fromkeys(re.findall(r'/review/reporters/(\d+)"', page)))
    results["reporters"] = len(reporters)
    t0 = time.time()
    http.post(base + f"/review/rounds/{round_id}/codes", data={"_csrf": csrf, "count": "200"})
    results["issue_200_codes_s"] = round(time.time() - t0, 3)
    codes = re.findall(r'<small class="code-url">([^<]+)</small>', http.get(base + f"/review/rounds/{round_id}/codes").text)
    results["codes"] = len(codes)

    def cast(url):
        s = requests.Session()
        form = {f"reporter_{rid}": str(i % 4) for i, rid in enumerate(reporters)}
        t = time.time()
        resp = s.post(url, data=form, timeout=120)
        return time.time() - t, resp.status_code, "测评票已提交" in resp.text

    log(f"{len(codes)} papers × {len(reporters)} reporters, 32 at once")
    t0 = time.time()
    with ThreadPoolExecutor(32) as pool:
        outcomes = list(pool.map(cast, codes))
    results["ballots"] = {
        "papers": len(outcomes), "accepted": sum(1 for o in outcomes if o[2]), "wall_s": round(time.time() - t0, 2),
        "p50_s": percentile([o[0] for o in outcomes], 50), "p99_s": percentile([o[0] for o in outcomes], 99),
        "status": sorted({o[1] for o in outcomes}),
    }
    times = []
    for _ in range(20):
        t = time.time()
        http.get(base + round_path)
        times.append(time.time() - t)
    results["round_page"] = {"p50_s": percentile(times, 50), "p99_s": percentile(times, 99)}
    t0 = time.time()
    for rid in reporters:
        http.post(base + f"/review/reporters/{rid}/comment", data={"_csrf": csrf, "comment": "认真履职。"})
        http.post(base + f"/review/reporters/{rid}/close", data={"_csrf": csrf})
    results["close_all_s"] = round(time.time() - t0, 2)
    version = re.search(r'name="version" value="(\d+)"', http.get(base + round_path).text).group(1)
    t0 = time.time()
    r = http.post(base + f"/review/rounds/{round_id}/confirm", data={"_csrf": csrf, "version": version}, allow_redirects=False)
    results["confirm_s"] = round(time.time() - t0, 3)
    results["confirm_status"] = r.status_code
    api = http.get(base + f"/api/v1/review/rounds/{round_id}").json()
    results["state"] = api["state"]
    results["valid_votes_first_reporter"] = sum(api["reporters"][0]["tally"] or [])
finally:
    server.terminate()
print(json.dumps(results, ensure_ascii=False, indent=1))
