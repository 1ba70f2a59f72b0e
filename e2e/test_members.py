"""End-to-end: a roster made by an independent writer (openpyxl) is uploaded in a real browser, its preview errors read,
committed; a member is found, a field edited, and the audited change is seen by the audit administrator. The .xlsx
export is read back by openpyxl."""
import datetime
import io
import re
import shutil

import openpyxl
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import ARTIFACTS, Session, seed_demo, sign_in


def id_number(born: str, seq: int) -> str:
    body = "610102" + born.replace("-", "") + f"{seq:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]
    return body + check


@pytest.fixture()
def browser():
    options = Options()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"]:
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    yield driver
    driver.quit()


def test_import_find_edit_audit(server, browser, tmp_path):
    server.cli("migrate", "--database-url", str(server.database))
    passwords = seed_demo(server)
    server.start()
    wait = WebDriverWait(browser, 20, ignored_exceptions=(WebDriverException,))

    # A roster as an office keeps it, written by openpyxl: a title row, synonyms, real dates, one bad row.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["教育局机关支部党员花名册"])
    ws.append(["序号", "姓 名", "公民身份号码", "入党时间", "转正时间", "文化程度", "职务"])
    ws.append([1, "端到端甲", id_number("1982-03-04", 101), datetime.date(2008, 6, 1), "2009.6.1", "本科", "科员"])
    ws.append([2, "端到端乙", id_number("1979-11-12", 102), "2001年7月1日", datetime.date(2002, 7, 1), "大专", ""])
    ws.append([3, "校验位错", "110105194912310021", "2001-07-01", "2002-07-01", "本科", ""])
    path = tmp_path / "花名册.xlsx"
    wb.save(path)

    sign_in(browser, server.url, "jggw", passwords["jggw"])
    browser.get(server.url + "/members")
    # The chooser offers a step up or down the tree: the 机关工委's direct branches are listed as 下级.
    Select(browser.find_element(By.ID, "org")).select_by_visible_text("　下级：教育局机关支部")
    browser.find_element(By.CSS_SELECTOR, "#member-filters button[type=submit]").click()
    wait.until(EC.url_contains("org="))
    wait.until(EC.element_to_be_clickable((By.LINK_TEXT, "导入花名册"))).click()
    wait.until(EC.presence_of_element_located((By.ID, "file")))
    browser.find_element(By.ID, "file").send_keys(str(path))
    browser.find_element(By.CSS_SELECTOR, "#import-form button[type=submit]").click()
    wait.until(EC.presence_of_element_located((By.ID, "import-preview")))
    assert browser.find_element(By.ID, "count-create").text == "2"
    assert browser.find_element(By.ID, "count-invalid").text == "1"
    problems = browser.find_element(By.ID, "import-problems").text
    assert "5" in problems and "公民身份号码" in problems and "校验位" in problems
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "10-import-preview.png"))
    browser.find_element(By.CSS_SELECTOR, "#commit-form button[type=submit]").click()
    browser.switch_to.alert.accept()
    assert "新增 2 人" in wait.until(EC.presence_of_element_located((By.ID, "import-done"))).text

    # Find the member and edit one field.
    browser.get(server.url + "/members")
    wait.until(EC.presence_of_element_located((By.ID, "q"))).send_keys("端到端甲")
    browser.find_element(By.CSS_SELECTOR, "#member-filters button[type=submit]").click()
    wait.until(EC.text_to_be_present_in_element((By.ID, "member-total"), "共 1 人"))
    wait.until(EC.element_to_be_clickable((By.LINK_TEXT, "端到端甲"))).click()
    wait.until(EC.element_to_be_clickable((By.ID, "edit-member"))).click()
    post = wait.until(EC.presence_of_element_located((By.ID, "f-post")))
    post.clear()
    post.send_keys("党支部组织委员")
    browser.find_element(By.CSS_SELECTOR, "#member-form button[type=submit]").click()
    assert "党支部组织委员" in wait.until(EC.presence_of_element_located((By.ID, "member-facts"))).text
    member_url = browser.current_url

    # The export, read by openpyxl: masked numbers, the edited value.
    session = Session(server.url)
    session.login("jggw", passwords["jggw"])
    export = session.http.get(server.url + "/members/export.xlsx?q=端到端", timeout=20)
    assert export.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "姓名" and len(rows) == 3
    assert all("*" in r[2] for r in rows[1:])
    assert any(r[14] == "党支部组织委员" for r in rows[1:])

    # A transfer out of the system prints a letter that python-docx reads (MEM-04 particulars in Chinese numerals).
    member_id = member_url.rstrip("/").split("/")[-1]
    r = session.http.post(f"{server.url}/members/{member_id}/transfer", data={
        "_csrf": session.csrf, "kind": "out", "to_name": "外省某县某支部", "valid_days": "90", "dues_paid_until": "2026-10"},
        allow_redirects=False, timeout=20)
    assert r.status_code == 303, r.text[:500]
    page = session.http.get(server.url + "/transfers", timeout=20).text
    letter_path = re.search(r'href="(/transfers/\d+/letter\.docx)"', page).group(1)
    letter = session.http.get(server.url + letter_path, timeout=20)
    import docx
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(letter.content)).paragraphs)
    assert "中国共产党党员组织关系介绍信（存根）" in text and "（回执）" in text
    assert "端到端甲" in text and "党费已交到 二〇二六年十月" in text and "外省某县某支部" in text

    # The audit administrator sees the change, field by field — which field, not the member's values (issue 15, M2).
    browser.find_element(By.CSS_SELECTOR, ".who button[type=submit]").click()
    sign_in(browser, server.url, "auditor", passwords["auditor"])
    member_id = member_url.rstrip("/").split("/")[-1]
    browser.get(f"{server.url}/audit?object_type=member&object_id={member_id}")
    table = wait.until(EC.presence_of_element_located((By.ID, "audit-list"))).text
    # The field by its Chinese name (issue 17 item 14): 职务, not `post`.
    assert "职务：" in table and "post" not in table and "（已隐藏）" in table and "导入新增" in table
    assert "党支部组织委员" not in table
    browser.save_screenshot(str(ARTIFACTS / "11-audit-member.png"))
