"""End-to-end (issue 18): on a 375 px phone a branch secretary imports the payroll sheet HR sent (written by
openpyxl: gross pay less the DUES-15 components), commits it, records this month's payment for a member from the
collection sheet (a second entry for the same month is refused in Chinese), opens the receipt; the member signs in
on their phone and sees the month their dues are paid up to — the same one the secretary's page shows — and their
points with this month's dues among them. The month's report on screen equals its .xlsx."""
import datetime
import re

import openpyxl
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import ARTIFACTS, Session, seed_demo, sign_in
from test_members import id_number


def fits(browser):
    return browser.execute_script("return document.documentElement.scrollWidth") <= browser.execute_script("return window.innerWidth")


def import_roster_member(server, passwords, name, idn):
    """Adds one member to the secretary's branch through the roster import (the payroll import finds members by ID)."""
    s = Session(server.url)
    s.login("zhibu1", passwords["zhibu1"])
    page = s.http.get(server.url + "/members/import", timeout=10).text
    action = re.search(r'action="(/members/import\?org=\d+)"', page).group(1)
    roster = "姓名,身份证号,入党日期,转正日期\n%s,%s,2010-07-01,2011-07-01\n" % (name, idn)
    preview = s.http.post(server.url + action, data={"_csrf": s.csrf}, files={"file": ("r.csv", roster.encode("utf-8"))}, timeout=30).text
    commit = re.search(r'action="(/members/import/\d+/commit)"', preview).group(1)
    done = s.http.post(server.url + commit, data={"_csrf": s.csrf}, timeout=30).text
    assert "新增 1 人" in done


def test_payroll_import_and_collection_on_phone(server, phone, tmp_path):
    server.cli("migrate", "--database-url", str(server.database))
    passwords = seed_demo(server)
    server.start()
    wait = WebDriverWait(phone, 20, ignored_exceptions=(WebDriverException,))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    idn = id_number("1984-04-04", 184)
    import_roster_member(server, passwords, "工资表导入甲", idn)
    today = datetime.date.today()
    this_month = "%d-%02d" % (today.year, today.month)
    this_month_words = "%d年%d月" % (today.year, today.month)

    # The payroll sheet as HR sends it: a title row, gross pay and deductions.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["%d年1月工资发放表" % today.year])
    ws.append(["序号", "姓名", "身份证号码", "应发合计", "个人所得税", "住房公积金", "基础性绩效"])
    ws.append([1, "工资表导入甲", idn, 6000, 100, 720, 800])
    path = tmp_path / "工资表.xlsx"
    wb.save(path)

    sign_in(phone, server.url, "zhibu1", passwords["zhibu1"])
    phone.find_element(By.CSS_SELECTOR, ".site-nav .collapse-toggle").click()
    wait.until(EC.element_to_be_clickable((By.LINK_TEXT, "党费基数"))).click()
    wait.until(EC.element_to_be_clickable((By.ID, "dues-import"))).click()
    wait.until(EC.presence_of_element_located((By.ID, "file"))).send_keys(str(path))
    phone.find_element(By.CSS_SELECTOR, "#payroll-form button[type=submit]").click()
    preview = wait.until(EC.presence_of_element_located((By.ID, "payroll-preview"))).text
    assert phone.find_element(By.ID, "payroll-create").text == "1" and phone.find_element(By.ID, "payroll-invalid").text == "0", preview
    lines = phone.find_element(By.ID, "payroll-lines").text
    # 6000 − 100 − 720 = 5180.00 → 1.5 % = 77.70 (DUES-02/15/16); 基础性绩效 is not subtracted.
    assert "5180.00" in lines and "77.70" in lines and "上年未核定" in lines, lines
    assert fits(phone)
    phone.save_screenshot(str(ARTIFACTS / "dues-03-payroll-preview.png"))
    phone.find_element(By.CSS_SELECTOR, "#payroll-commit button[type=submit]").click()
    assert "新设 1 人" in wait.until(EC.presence_of_element_located((By.ID, "payroll-done"))).text

    # Which member the demo 党员 is (their own page names them).
    member = Session(server.url)
    member.login("dangyuan", passwords["dangyuan"])
    name = re.search(r'id="mine-name">([^<]+)<', member.http.get(server.url + "/dues/mine", timeout=10).text).group(1)

    # The collection sheet: record this month for the demo 党员 (setting a base first if the demo left it unset).
    phone.find_element(By.CSS_SELECTOR, ".site-nav .collapse-toggle").click()
    wait.until(EC.element_to_be_clickable((By.LINK_TEXT, "党费收缴"))).click()
    summary = wait.until(EC.presence_of_element_located((By.ID, "collection-summary"))).text
    assert "应交" in summary and fits(phone)
    phone.save_screenshot(str(ARTIFACTS / "dues-04-collection.png"))
    row = [r for r in phone.find_elements(By.CSS_SELECTOR, "#collection-sheet tbody tr") if name in r.text][0]
    if "未核定基数" in row.text:
        member_id = row.get_attribute("id")[1:]
        phone.get(server.url + "/dues/members/%s?year=%d" % (member_id, today.year))
        wait.until(EC.presence_of_element_located((By.ID, "base"))).send_keys("4321.57")
        phone.find_element(By.CSS_SELECTOR, "#dues-form button[type=submit]").click()
        wait.until(EC.presence_of_element_located((By.ID, "dues-saved")))
        phone.get(server.url + "/dues/collection")
        row = [r for r in wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, "#collection-sheet tbody tr")) if name in r.text][0]
    row.find_element(By.CSS_SELECTOR, "a.button").click()
    form = wait.until(EC.presence_of_element_located((By.ID, "payment-form")))
    month = phone.find_element(By.ID, "from")
    month.clear()
    month.send_keys(this_month)
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    saved = wait.until(EC.presence_of_element_located((By.ID, "payments-saved"))).text
    assert "按月交纳" in saved and "收据" in saved, saved
    assert not phone.find_elements(By.CSS_SELECTOR, ".draft-restored"), "a saved payment's form is not offered again as a draft"
    paid_up_to = phone.find_element(By.ID, "payments-paid-up-to").text
    assert paid_up_to.startswith("党费已交至")
    assert fits(phone)
    phone.save_screenshot(str(ARTIFACTS / "dues-05-recorded.png"))
    entries = len(phone.find_elements(By.CSS_SELECTOR, "#payments-entries tbody tr"))

    # The same month again: refused in Chinese, naming the rule; nothing stored.
    month = phone.find_element(By.ID, "from")
    month.clear()
    month.send_keys(this_month)
    phone.find_element(By.CSS_SELECTOR, "#payment-form button[type=submit]").click()
    errors = wait.until(EC.presence_of_element_located((By.ID, "payments-errors"))).text
    assert this_month_words + "的党费已交，不能重复交纳" in errors and "DUES-11" in errors, errors
    assert len(phone.find_elements(By.CSS_SELECTOR, "#payments-entries tbody tr")) == entries

    # The receipt, with the amount in capitals.
    phone.find_element(By.CSS_SELECTOR, "#payments-entries tbody tr a").click()
    receipt = wait.until(EC.presence_of_element_located((By.ID, "receipt-lines"))).text
    assert name in receipt and "按月交纳" in receipt and "元" in receipt and fits(phone)
    phone.save_screenshot(str(ARTIFACTS / "dues-06-receipt.png"))

    # The month's report on the phone equals its .xlsx (read by openpyxl): the same rows, the same figures.
    phone.find_element(By.CSS_SELECTOR, ".site-nav .collapse-toggle").click()
    wait.until(EC.element_to_be_clickable((By.LINK_TEXT, "党费月报"))).click()
    summary = wait.until(EC.presence_of_element_located((By.ID, "report-summary"))).text
    assert "应交" in summary and "收缴率" in summary and fits(phone)
    phone.save_screenshot(str(ARTIFACTS / "dues-08-report.png"))
    screen = [[td.get_attribute("textContent").strip() for td in tr.find_elements(By.CSS_SELECTOR, "td")]
              for tr in phone.find_elements(By.CSS_SELECTOR, "#report-table tbody tr")]
    href = phone.find_element(By.ID, "report-xlsx").get_attribute("href")
    secretary = Session(server.url)
    secretary.login("zhibu1", passwords["zhibu1"])
    download = secretary.http.get(href, timeout=30)
    assert download.status_code == 200
    (tmp_path / "月报.xlsx").write_bytes(download.content)
    sheet = openpyxl.load_workbook(tmp_path / "月报.xlsx")["汇总"]
    rows = [[("" if v is None else (str(v) if not isinstance(v, float) else ("%.2f" % v))) for v in r] for r in sheet.iter_rows(min_row=2, values_only=True)]
    def normal(r):
        return [c.replace(".00", "") if c.replace(".", "", 1).isdigit() else c for c in r]
    assert [normal(r) for r in rows] == [normal(r) for r in screen], (rows, screen)
    assert screen[-1][0] == "合计" and int(screen[-1][4]) >= 1

    # The member on their phone: the same paid-up month, this month green.
    sign_in(phone, server.url, "dangyuan", passwords["dangyuan"])
    home = wait.until(EC.presence_of_element_located((By.ID, "home-dues"))).text
    assert paid_up_to in home, (paid_up_to, home)
    phone.find_element(By.LINK_TEXT, "我的党费 ›").click()
    mine = wait.until(EC.presence_of_element_located((By.ID, "mine-paid-up-to"))).text
    assert mine == paid_up_to
    cells = phone.find_elements(By.CSS_SELECTOR, "#mine-months li")
    assert len(cells) == 12 and "已交" in cells[today.month - 1].text
    assert fits(phone)
    phone.save_screenshot(str(ARTIFACTS / "dues-07-member.png"))

    # Their points: the secretary updates the automatic items; the member sees the year's total and stars, the
    # month's dues among the entries (POINT-01/03/07).
    secretary.http.post(server.url + "/points/recompute", data={"_csrf": secretary.csrf, "year": str(today.year)}, timeout=60)
    phone.find_element(By.CSS_SELECTOR, ".site-nav .collapse-toggle").click()
    wait.until(EC.element_to_be_clickable((By.LINK_TEXT, "我的积分"))).click()
    standing = wait.until(EC.presence_of_element_located((By.ID, "points-standing"))).text
    assert "年积分" in standing and "★" in standing, standing
    assert "党费按时交纳" in phone.find_element(By.ID, "points-entries").text
    assert fits(phone)
    phone.save_screenshot(str(ARTIFACTS / "dues-09-points.png"))


def test_dues_ledger_on_phone(server, phone, tmp_path):
    """党费账目 (DUES-12/20/21) on a 375 px phone: the branch's year with its check line, a remittance recorded for this
    period, the report upward (.xlsx read by openpyxl) equal to the screen, the yearly publication naming nobody."""
    server.cli("migrate", "--database-url", str(server.database))
    passwords = seed_demo(server)
    server.start()
    wait = WebDriverWait(phone, 20, ignored_exceptions=(WebDriverException,))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    sign_in(phone, server.url, "zhibu1", passwords["zhibu1"])
    phone.find_element(By.CSS_SELECTOR, ".site-nav .collapse-toggle").click()
    wait.until(EC.element_to_be_clickable((By.LINK_TEXT, "党费账目"))).click()
    check = wait.until(EC.presence_of_element_located((By.ID, "ledger-check"))).text
    assert "逐笔逐月核对一致" in check and "DUES-20" in check, check
    assert "上缴所收党费的 100%" in phone.find_element(By.ID, "ledger-rule").text
    assert fits(phone)
    phone.save_screenshot(str(ARTIFACTS / "dues-10-ledger.png"))

    # A remittance of 1.00 for this period, with its voucher number.
    today = datetime.date.today()
    quarter = "%d-Q%d" % (today.year, (today.month - 1) // 3 + 1)
    phone.find_element(By.CSS_SELECTOR, "#kind option[value=remittance]").click()
    phone.find_element(By.ID, "amount").send_keys("1.00")
    phone.find_element(By.CSS_SELECTOR, "#period option[value='%s']" % quarter).click()
    phone.find_element(By.ID, "voucher").send_keys("缴-E2E")
    phone.find_element(By.CSS_SELECTOR, "#ledger-form button[type=submit]").click()
    wait.until(EC.presence_of_element_located((By.ID, "ledger-saved")))
    assert "缴-E2E" in phone.find_element(By.ID, "ledger-entries").text
    assert fits(phone)

    # An expenditure without its purpose: refused in Chinese with the rule, nothing stored.
    rows_before = len(phone.find_elements(By.CSS_SELECTOR, "#ledger-entries tbody tr"))
    phone.find_element(By.CSS_SELECTOR, "#kind option[value=expenditure]").click()
    phone.find_element(By.ID, "amount").send_keys("5")
    phone.find_element(By.CSS_SELECTOR, "#category option[value=training]").click()
    phone.find_element(By.CSS_SELECTOR, "#ledger-form button[type=submit]").click()
    error = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".error[role=alert]"))).text
    assert "请写明用途" in error and "DUES-21" in error, error
    assert len(phone.find_elements(By.CSS_SELECTOR, "#ledger-entries tbody tr")) == rows_before

    # The report upward equals the screen.
    phone.get(server.url + "/dues/ledger")
    screen = [[td.get_attribute("textContent").strip() for td in tr.find_elements(By.CSS_SELECTOR, "td")]
              for tr in wait.until(EC.presence_of_element_located((By.ID, "ledger-table"))).find_elements(By.CSS_SELECTOR, "tbody tr")]
    href = phone.find_element(By.ID, "ledger-xlsx").get_attribute("href")
    secretary = Session(server.url)
    secretary.login("zhibu1", passwords["zhibu1"])
    download = secretary.http.get(href, timeout=30)
    assert download.status_code == 200
    (tmp_path / "账目.xlsx").write_bytes(download.content)
    sheet = openpyxl.load_workbook(tmp_path / "账目.xlsx")["收支汇总"]
    rows = [[("" if v is None else (str(v) if not isinstance(v, float) else ("%.2f" % v))) for v in r] for r in sheet.iter_rows(min_row=2, values_only=True)]

    def normal(r):
        return [c[:-3] if c.endswith(".00") else c for c in r]
    assert [normal(r) for r in rows] == [normal(r) for r in screen], (rows, screen)
    assert screen[-1][0].endswith("年合计")

    # The yearly publication: totals only, no member named.
    phone.find_element(By.ID, "ledger-publication").click()
    title = wait.until(EC.presence_of_element_located((By.ID, "publication-title"))).text
    assert "党费收缴、使用情况公示" in title
    table = phone.find_element(By.ID, "publication-table").text
    assert "年末结余" in table and "身份证" not in table
    assert fits(phone)
    phone.save_screenshot(str(ARTIFACTS / "dues-11-publication.png"))
