#!/usr/bin/env python3
"""Benchmarks for 党建工作平台 (issue 3): prints figures, asserts nothing.

Runs a release build of `dangjian` on a fresh SQLite file at the city tier (`dangjian demo --tier city`), then:
  * wrk, 32 connections: the bare /livez route next to the member list page (a branch and the whole city),
  * wrk, 32 connections: exact lookup by ID number through the API,
  * import of a 100,000-row .xlsx (written by openpyxl) through the web upload: preview, then commit,
    next to openpyxl merely loading the same file,
  * export of the same 100,000 rows as .xlsx, next to openpyxl loading the export,
  * the server's peak resident memory (VmHWM).
Usage: bench/run.sh (builds, then runs this with the binary's path).
"""
import json, os, random, re, shutil, signal, socket, subprocess, sys, tempfile, time
from pathlib import Path

import openpyxl
import requests

BIN = Path(sys.argv[1]).resolve()
TIER = os.environ.get("BENCH_TIER", "city")
ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "100000"))
DURATION = os.environ.get("BENCH_WRK_SECONDS", "20")
WORK = Path(os.environ.get("BENCH_DIR", tempfile.mkdtemp(prefix="dangjian-bench-")))
WORK.mkdir(parents=True, exist_ok=True)
ENV = dict(os.environ, DANGJIAN_DATABASE_URL=str(WORK / "bench.sqlite"), DANGJIAN_SECRET_KEY_FILE=str(WORK / "secret.key"),
           DANGJIAN_LOG_FORMAT="text")
results = {}


def log(msg):
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def id_number(born: str, seq: int, area: int = 110105) -> str:
    """A valid GB 11643 number for an area code, a birth date (YYYYMMDD) and a 3-digit sequence."""
    body = f"{area}{born}{seq % 1000:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]
    return body + check


def wrk(url, headers=(), script=None):
    cmd = ["wrk", "-t2", "-c32", f"-d{DURATION}s", "--latency"]
    for h in headers:
        cmd += ["-H", h]
    if script:
        cmd += ["-s", str(script)]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    def pct(p):
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"p50_ms": round(pct(50), 2), "p99_ms": round(pct(99), 2), "rps": round(rps), "non2xx": int(non2xx.group(1)) if non2xx else 0}


def peak_rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return None


# 1. City-tier data.
log(f"generating the {TIER} tier in {WORK}")
t0 = time.time()
demo = subprocess.run([str(BIN), "demo", "--tier", TIER, "--seed", "1"], env=ENV, capture_output=True, text=True, check=True)
results["generate_s"] = round(time.time() - t0, 1)
m = re.search(rf"组织管理员\s+(scale_{TIER}_1)\s+(\S+)", demo.stdout)
user, password = m.group(1), m.group(2)
results["generated"] = re.search(r"已生成.*", demo.stdout).group(0)
log(results["generated"])

# 2. The server.
port = free_port()
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
    page = http.get(base + "/login")
    token = re.search(r'name="_csrf" value="([^"]+)"', page.text).group(1)
    http.post(base + "/login", data={"username": user, "password": password, "_csrf": token}, allow_redirects=True)
    home = http.get(base + "/account/tokens")
    csrf = re.search(r'name="_csrf" value="([^"]+)"', home.text).group(1)
    created = http.post(base + "/account/tokens", data={"name": "bench", "valid_days": "1", "_csrf": csrf})
    api_token = re.search(r'id="new-token">([^<]+)<', created.text).group(1)
    api = {"Authorization": f"Bearer {api_token}"}
    orgs = requests.get(base + "/api/v1/organisations", headers=api).json()["items"]
    root = min(orgs, key=lambda o: o["depth"])
    branch = next(o for o in orgs if o["type"] == "branch")
    cookie = "Cookie: " + "; ".join(f"{k}={v}" for k, v in http.cookies.items())

    # 3. Latency under 32 connections.
    log("wrk: /livez, member list (branch, whole city), ID lookup")
    results["livez"] = wrk(base + "/livez")
    results["list_branch"] = wrk(f"{base}/members?org={branch['id']}&scope=own", [cookie])
    results["list_city"] = wrk(f"{base}/members?org={root['id']}&scope=subtree", [cookie])

    # 4. Import: a new branch receives 100,000 rows written by openpyxl.
    r = requests.post(base + "/api/v1/organisations", headers=api, json={"type": "branch", "name": "基准导入党支部", "parent_id": root["id"]})
    target = r.json()["id"]
    xlsx = WORK / "import.xlsx"
    log(f"writing {ROWS} rows with openpyxl")
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("党员名册")
    ws.append(["某市直机关党员名册（基准）"])
    ws.append(["姓名", "公民身份号码", "性别", "出生日期", "民族", "学历", "人员类别", "党员身份", "入党日期", "转正日期", "联系电话", "工作单位"])
    rng = random.Random(1)
    surnames, given = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
    ids = []
    for i in range(ROWS):
        year = 1950 + (i * 7) % 50
        born = f"{year}{1 + i % 12:02d}{1 + i % 28:02d}"
        # Unique: the area code changes every thousand rows, the sequence within them.
        number = id_number(born, i % 1000, area=110000 + (i // 1000) % 900)
        ids.append(number)
        gender = "男" if int(number[16]) % 2 else "女"
        join = f"{year + 25}-07-01"
        full = f"{year + 26}-07-01"
        ws.append([rng.choice(surnames) + rng.choice(given) + rng.choice(given), number, gender, f"{born[:4]}-{born[4:6]}-{born[6:]}", "汉族",
                   "大学本科", "在职", "正式党员", join, full, f"139{i:08d}", "某市某局"])
    wb.save(xlsx)
    results["import_file_mb"] = round(xlsx.stat().st_size / 1e6, 1)
    t0 = time.time()
    openpyxl.load_workbook(xlsx)
    results["openpyxl_load_import_s"] = round(time.time() - t0, 1)
    t0 = time.time()
    sum(1 for _ in openpyxl.load_workbook(xlsx, read_only=True).active.iter_rows(values_only=True))
    results["openpyxl_readonly_iterate_s"] = round(time.time() - t0, 1)

    imp = http.get(f"{base}/members/import?org={target}")
    csrf = re.search(r'name="_csrf" value="([^"]+)"', imp.text).group(1)
    log("import: preview")
    t0 = time.time()
    with open(xlsx, "rb") as f:
        preview = http.post(f"{base}/members/import?org={target}", data={"_csrf": csrf}, files={"file": ("import.xlsx", f)}, timeout=600)
    results["import_preview_s"] = round(time.time() - t0, 1)
    job = re.search(r'/members/import/(\d+)/commit', preview.text)
    if not job:
        raise SystemExit("preview did not offer a commit: " + re.sub(r"<[^>]+>", " ", preview.text)[:2000])
    results["import_preview_creates"] = int(re.search(r'id="count-create">(\d+)<', preview.text).group(1))
    log("import: commit")
    t0 = time.time()
    done = http.post(f"{base}/members/import/{job.group(1)}/commit", data={"_csrf": csrf}, timeout=1200)
    results["import_commit_s"] = round(time.time() - t0, 1)
    results["import_committed"] = re.sub(r"<[^>]+>", "", re.search(r'id="import-done">(.*?)</p>', done.text, re.S).group(1)).strip()

    # 5. Lookup by ID number (API, exact, blind index).
    script = WORK / "lookup.lua"
    script.write_text('wrk.method = "POST"\nwrk.body = \'{"id_number":"%s"}\'\nwrk.headers["Content-Type"] = "application/json"\n' % ids[ROWS // 2])
    results["lookup_id"] = wrk(base + "/api/v1/members/lookup", [f"Authorization: Bearer {api_token}"], script)

    # 6. Export the 100,000 rows.
    log("export")
    t0 = time.time()
    exported = http.get(f"{base}/members/export.xlsx?org={target}&scope=own", timeout=600)
    results["export_s"] = round(time.time() - t0, 1)
    (WORK / "export.xlsx").write_bytes(exported.content)
    results["export_file_mb"] = round(len(exported.content) / 1e6, 1)
    t0 = time.time()
    sheet = openpyxl.load_workbook(WORK / "export.xlsx").active
    results["openpyxl_load_export_s"] = round(time.time() - t0, 1)
    results["export_rows"] = sheet.max_row - 1
    results["list_city_after_import"] = wrk(f"{base}/members?org={root['id']}&scope=subtree", [cookie])
    results["server_peak_rss_mb"] = peak_rss_mb(server.pid)
finally:
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=30)

print(json.dumps(results, ensure_ascii=False, indent=2))
