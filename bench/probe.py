"""Measures pages of a database the driver generated (BENCH_DIR), with a server started here from BENCH_BINARY
(default .build/release/dangjian): `wrk:<path>` runs wrk -t2 -c32 -d10s on it, a plain `<path>` times five requests.

    BENCH_DIR=/tmp/djb2 .venv/bin/python bench/probe.py 'wrk:/dues/collection?org=1017' '/dues/report?org=16'
"""
import json, os, re, subprocess, sys, time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "e2e"))
import otp  # noqa: E402

WORK = os.environ.get("BENCH_DIR", "/tmp/djb2")
BINARY = os.environ.get("BENCH_BINARY", str(Path(__file__).resolve().parent.parent / ".build/release/dangjian"))
acct = json.load(open(WORK + "/account.json"))
ENV = dict(os.environ, DANGJIAN_DATABASE_URL=WORK + "/bench.sqlite", DANGJIAN_SECRET_KEY_FILE=WORK + "/secret.key")
port = 18765
base = f"http://127.0.0.1:{port}"
server = subprocess.Popen([BINARY, "serve", "--port", str(port)], env=ENV, stdout=open("/tmp/probe-server.log", "w"), stderr=subprocess.STDOUT)
try:
    for _ in range(300):
        try:
            if requests.get(base + "/livez", timeout=1).status_code == 200: break
        except requests.RequestException: time.sleep(0.2)
    http = requests.Session()
    page = http.get(base + "/login")
    token = re.search(r'name="_csrf" value="([^"]+)"', page.text).group(1)
    signed = http.post(base + "/login", data={"username": acct["user"], "password": acct["password"], "_csrf": token})
    if "/login/verify" in signed.url:
        csrf = re.search(r'name="_csrf" value="([^"]+)"', signed.text).group(1)
        http.post(base + "/login/verify", data={"code": otp.code(acct["secret"]), "_csrf": csrf})
    cookie = "Cookie: " + "; ".join(f"{k}={v}" for k, v in http.cookies.items())
    for url in [u for u in sys.argv[1:] if u.startswith("wrk:")]:
        out = subprocess.run(["wrk", "-t2", "-c32", "-d10s", "--latency", "-H", cookie, base + url[4:]], capture_output=True, text=True).stdout
        print(url, re.search(r"Requests/sec:\s+([\d.]+)", out).group(1), re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    for url in [u for u in sys.argv[1:] if not u.startswith("wrk:")]:
        times = []
        for _ in range(5):
            t0 = time.time(); r = http.get(base + url, timeout=300); times.append(round((time.time() - t0) * 1000, 1))
        print(url, r.status_code, len(r.text), times)
finally:
    server.terminate()
