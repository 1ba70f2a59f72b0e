"""End-to-end (issue 4, QR sign-in): on a phone a secretary records today's 主题党日 for sign-in by QR code; the QR
code on the screen (our own Swift encoder) is decoded from a screenshot and from the PNG by an independent decoder
(zxing-cpp); the demo 党员 opens the decoded address, signs in, confirms and is present on the secretary's list."""
import io
import re

import requests
import zxingcpp
from PIL import Image
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import seed_demo
from test_life import phone, shot, sign_in  # noqa: F401  (fixture)


def decode(image):
    results = zxingcpp.read_barcodes(image)
    return [r.text for r in results if r.format == zxingcpp.BarcodeFormat.QRCode]


def test_member_scans_the_secretarys_qr_code(server, phone):  # noqa: F811
    server.cli("migrate", "--database-url", str(server.database))
    passwords = seed_demo(server)
    server.start()
    wait = WebDriverWait(phone, 20, ignored_exceptions=(WebDriverException,))

    sign_in(phone, server.url, "zhibu1", passwords["zhibu1"])
    phone.get(server.url + "/orgs")
    phone.find_element(By.LINK_TEXT, "中共示范县人民政府办公室第一支部委员会").click()
    wait.until(EC.element_to_be_clickable((By.ID, "meetings-link"))).click()
    Select(wait.until(EC.presence_of_element_located((By.ID, "kind")))).select_by_visible_text("主题党日")
    phone.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    wait.until(EC.presence_of_element_located((By.ID, "meeting-form")))
    phone.find_element(By.ID, "topic").send_keys("扫码签到主题党日")
    phone.find_element(By.ID, "await_checkin").click()
    phone.find_element(By.CSS_SELECTOR, "#meeting-form button[type=submit]").click()

    url = wait.until(EC.presence_of_element_located((By.ID, "checkin-url"))).text
    assert re.fullmatch(re.escape(server.url) + r"/checkin/\d+-[0-9a-f]{32}", url), url
    counts = phone.find_element(By.XPATH, "//h2[starts-with(., '签到情况')]").text
    assert counts.startswith("签到情况（0/")
    # The QR code as the phone shows it, decoded from a screenshot of the element.
    qr = phone.find_element(By.CSS_SELECTOR, "#checkin-qr svg")
    phone.execute_script("arguments[0].scrollIntoView()", qr)
    assert decode(Image.open(io.BytesIO(qr.screenshot_as_png))) == [url]
    shot(phone, "checkin-01-qr")
    # The downloadable PNG, decoded independently.
    session = requests.Session()
    for cookie in phone.get_cookies():
        session.cookies.set(cookie["name"], cookie["value"])
    png = session.get(phone.find_element(By.PARTIAL_LINK_TEXT, "下载二维码图片").get_attribute("href"), timeout=30)
    assert png.headers["Content-Type"] == "image/png"
    assert decode(Image.open(io.BytesIO(png.content))) == [url]
    checkin_page = phone.current_url

    # The member "scans": opens the address, signs in, confirms.
    sign_in(phone, server.url, "dangyuan", passwords["dangyuan"])
    phone.get(url)
    wait.until(EC.element_to_be_clickable((By.ID, "checkin-confirm"))).click()
    done = wait.until(EC.presence_of_element_located((By.ID, "checkin-done"))).text
    assert "您已签到" in done and "扫码签到主题党日" in done
    shot(phone, "checkin-02-done")

    # The secretary's list shows one signed in.
    sign_in(phone, server.url, "zhibu1", passwords["zhibu1"])
    phone.get(checkin_page)
    counts = wait.until(EC.presence_of_element_located((By.XPATH, "//h2[starts-with(., '签到情况')]"))).text
    assert counts.startswith("签到情况（1/")
    assert "已扫码签到" in phone.find_element(By.ID, "checkin-list").text
