"""Shared fixtures for the end-to-end tests: a real `dangjian` server on a scratch SQLite file."""
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests

import otp

ROOT = Path(__file__).resolve().parent.parent
BINARY = Path(os.environ.get("DANGJIAN_BINARY", ROOT / ".build" / "debug" / "dangjian"))
ARTIFACTS = ROOT / "e2e" / "artifacts"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One server process over a working directory holding data/ (database and key file)."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.log_path = workdir / "server.log"
        self.env = dict(os.environ, DANGJIAN_BCRYPT_COST="10")
        self.env.pop("DANGJIAN_DATABASE_URL", None)

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run([str(BINARY), *args], cwd=self.workdir, env=self.env, capture_output=True, text=True, check=check, timeout=120)

    def start(self) -> None:
        log = open(self.log_path, "a")
        self.process = subprocess.Popen([str(BINARY), "serve", "--port", str(self.port)], cwd=self.workdir, env=self.env,
                                        stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if self.process.poll() is not None:
                raise RuntimeError("server exited: " + self.log_path.read_text())
            time.sleep(0.2)
        raise RuntimeError("server did not start")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    @property
    def database(self) -> Path:
        return self.workdir / "data" / "dangjian.sqlite"


# The demo administrators' TOTP secrets (issue 15, H6), as `dangjian demo` prints them: {username: secret}.
SECRETS: dict = {}


def totp_code(username: str, secret: str = "") -> str:
    """The current code for a demo account (or for `secret`)."""
    return otp.code(secret or SECRETS[username])


def seed_demo(server: Server) -> dict:
    """Runs `dangjian demo` on the server's database and returns {username: password}; keeps the second-factor
    secrets it prints in SECRETS."""
    out = server.cli("demo", "--database-url", str(server.database)).stdout
    SECRETS.update({m.group(1): m.group(2) for m in re.finditer(r"^\s+\S+\t(\S+)\t\S+\t[^\t\n]*\t动态口令密钥 (\S+)$", out, re.M)})
    return {m.group(1): m.group(2) for m in re.finditer(r"^\s+\S+\t(\S+)\t(\S+)\t", out, re.M)}


def sign_in(browser, url, username, password):
    """Signs in through the form in a real browser, with the second factor when the account has one."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait
    browser.delete_all_cookies()
    browser.get(url + "/login")
    browser.find_element(By.ID, "username").send_keys(username)
    browser.find_element(By.ID, "password").send_keys(password)
    browser.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    WebDriverWait(browser, 15).until(lambda b: "/login/verify" in b.current_url or b.find_elements(By.CSS_SELECTOR, ".site-nav"))
    if "/login/verify" in browser.current_url:
        browser.find_element(By.ID, "code").send_keys(totp_code(username))
        browser.find_element(By.CSS_SELECTOR, "main form[action='/login/verify'] button[type=submit]").click()
        WebDriverWait(browser, 15).until(lambda b: "/login/verify" not in b.current_url)
    WebDriverWait(browser, 15).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".site-nav")))


def make_phone():
    """Chromium at 375 × 812 (a phone), headless, Chinese."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=375,812", "--lang=zh-CN"]:
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_window_size(375, 812)
    return driver


@pytest.fixture()
def phone():
    """Chromium at 375 × 812 (a phone), headless, Chinese."""
    driver = make_phone()
    yield driver
    driver.quit()


@pytest.fixture()
def second_phone():
    """Another phone: a second attendee with their own cookies."""
    driver = make_phone()
    yield driver
    driver.quit()


@pytest.fixture()
def server():
    workdir = Path(tempfile.mkdtemp(prefix="dangjian-e2e-"))
    srv = Server(workdir)
    yield srv
    srv.stop()
    shutil.rmtree(workdir, ignore_errors=True)


class Session:
    """A signed-in HTTP client that keeps cookies and the CSRF token (used by the crash harness)."""

    def __init__(self, base: str):
        self.base = base
        self.http = requests.Session()
        self.csrf = ""

    def login(self, username: str, password: str) -> None:
        page = self.http.get(self.base + "/login", timeout=10)
        token = re.search(r'name="_csrf" value="([^"]+)"', page.text).group(1)
        r = self.http.post(self.base + "/login", data={"username": username, "password": password, "_csrf": token},
                           allow_redirects=False, timeout=10)
        assert r.status_code == 303, r.text
        if "/login/verify" in r.headers.get("Location", ""):
            form = self.http.get(self.base + "/login/verify", timeout=10)
            csrf = re.search(r'name="_csrf" value="([^"]+)"', form.text).group(1)
            r = self.http.post(self.base + "/login/verify", data={"code": totp_code(username), "_csrf": csrf}, allow_redirects=False, timeout=10)
            assert r.status_code == 303, r.text
        home = self.http.get(self.base + "/", timeout=10)
        self.csrf = re.search(r'name="_csrf" value="([^"]+)"', home.text).group(1)
