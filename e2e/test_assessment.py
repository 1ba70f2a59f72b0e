"""End-to-end (issue 19): the 县直机关工委 (jggw) imports its 考评细则 table (made by openpyxl), opens a round over two
of its units with the windows around today, sets the panel; assigning the 财政局 secretary to 财政局党总支 is refused
in EVAL-04's words. Two assessors without any office role score 财政局党总支 on 375 px phones (a score above the
maximum is refused naming the indicator, what was typed stays), the other unit is scored over HTTP; the results appear
only when every sheet is in; the chair approves with a written reason; the ranking .xlsx read by openpyxl equals the
screen; the unit then sees its own result."""
import datetime
import re

import docx
import openpyxl
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import ARTIFACTS, Session, seed_demo, sign_in


def fits(browser):
    return browser.execute_script("return document.documentElement.scrollWidth") <= browser.execute_script("return window.innerWidth")


def option_value(html, select_id, label_part):
    select = re.search(r'<select id="%s"[^>]*>(.*?)</select>' % select_id, html, re.S).group(1)
    return re.search(r'<option value="(\d+)">[^<]*%s[^<]*</option>' % re.escape(label_part), select).group(1)


def test_round_from_imported_scheme_scored_on_phones(server, phone, tmp_path):
    server.cli("migrate", "--database-url", str(server.database))
    passwords = seed_demo(server)
    server.start()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    wait = WebDriverWait(phone, 20, ignored_exceptions=(WebDriverException,))
    today = datetime.date.today()
    day = lambda n: (today + datetime.timedelta(days=n)).isoformat()

    # The office's own table: a title row, merged aspects with their points, a deduction rule in words.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["%d年度模范机关创建考评细则" % today.year])
    ws.append(["编号", "方面", "指标", "分值", "评分细则", "佐证材料"])
    ws.append(["1.1", "政治建设（50分）", "理论学习中心组学习", 50, "", ""])
    ws.append(["2.1", "组织建设（50分）", "三会一课", 50, "每少1次扣5分，扣完为止", ""])
    path = tmp_path / "考评细则.xlsx"
    wb.save(path)

    office = Session(server.url)
    office.login("jggw", passwords["jggw"])
    overview = office.http.get(server.url + "/assessment", timeout=10).text
    org = option_value(overview, "scheme_org", "直属机关工作委员会")
    r = office.http.post(server.url + "/assessment/schemes", data={"_csrf": office.csrf, "org": org, "name": "创建考评细则"},
                         files={"file": ("考评细则.xlsx", path.read_bytes())}, allow_redirects=False, timeout=30)
    assert r.status_code == 303, r.text
    version = r.headers["Location"].rsplit("/", 1)[1]
    finance = option_value(overview, "round_units", "财政局")
    government = option_value(overview, "round_units", "人民政府办公室机关委员会")
    r = office.http.post(server.url + "/assessment/rounds", data={
        "_csrf": office.csrf, "org": org, "name": "创建考评验收", "year": str(today.year), "scheme_version": version,
        "units": [finance, government], "data_cutoff": day(0), "self_opens": day(-10), "self_closes": day(-1),
        "site_opens": day(0), "site_closes": day(10), "approve_by": day(20)}, allow_redirects=False, timeout=30)
    assert r.status_code == 303, r.text
    round_path = r.headers["Location"]
    r = office.http.post(server.url + round_path + "/panel", data={"_csrf": office.csrf, "members": "czj 组长\nzhibu1\ndangyuan\njggw"}, timeout=30)
    assert r.status_code == 200 and "不是本单位管理范围内" not in r.text, r.text
    page = office.http.get(server.url + round_path, timeout=10).text
    options = re.findall(r'<option value="(\d+)">([^<]*)</option>', re.search(r'<select id="assessors".*?</select>', page, re.S).group(0))

    def assessor(name, unless="\x00"):
        return next(value for value, label in options if name in label and unless not in label)
    # EVAL-04: the 财政局 secretary may not score 财政局党总支.
    refused = office.http.post(server.url + round_path + "/assign", data={"_csrf": office.csrf, "units": finance, "assessors": assessor("赵书记")}, timeout=30)
    assert refused.status_code == 422 and "EVAL-04" in refused.text and "须回避" in refused.text
    for unit, who in [(finance, [assessor("陈书记"), assessor("政府办第一支部", unless="陈书记")]), (government, [assessor("赵书记"), assessor("王工委")])]:
        for user in who:
            ok = office.http.post(server.url + round_path + "/assign", data={"_csrf": office.csrf, "units": unit, "assessors": user},
                                  allow_redirects=False, timeout=30)
            assert ok.status_code == 303, ok.text

    # Two assessors on their phones: the 财政局 unit, indicator by indicator.
    for n, username in enumerate(["zhibu1", "dangyuan"]):
        sign_in(phone, server.url, username, passwords[username])
        phone.get(server.url + "/assessment")
        wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, "#my-units a"))).click()
        wait.until(EC.presence_of_element_located((By.ID, "sheet-form")))
        assert fits(phone), "the sheet fits a 375 px screen"
        if n == 0:
            phone.find_element(By.ID, "score_1.1").send_keys("51")
            phone.find_element(By.ID, "score_2.1").send_keys("45")
            phone.find_element(By.ID, "sheet-save").click()
            errors = wait.until(EC.presence_of_element_located((By.ID, "sheet-errors"))).text
            assert "1.1 理论学习中心组学习" in errors and "EVAL-02" in errors
            assert phone.find_element(By.ID, "score_1.1").get_attribute("value") == "51"
            phone.find_element(By.ID, "score_1.1").clear()
        phone.find_element(By.ID, "score_1.1").send_keys("48" if n == 0 else "46")
        if n == 1:
            phone.find_element(By.ID, "score_2.1").send_keys("45")
        phone.save_screenshot(str(ARTIFACTS / ("assessment-sheet-%d.png" % n)))
        phone.find_element(By.ID, "sheet-submit").click()
        try:
            phone.switch_to.alert.accept()
        except Exception:
            pass
        wait.until(EC.presence_of_element_located((By.ID, "sheet-locked")))
        assert "已提交" in phone.find_element(By.ID, "sheet-state").text

    # Before the other unit's sheets are in, the office sees no scores.
    hidden = office.http.get(server.url + round_path + "/results", timeout=10).text
    assert "results-hidden" in hidden and "results-table" not in hidden
    for username, points in [("czj", ("40", "35")), ("jggw", ("41", "35"))]:
        s = Session(server.url)
        s.login(username, passwords[username])
        home = s.http.get(server.url + "/assessment", timeout=10).text
        sheet = re.search(r'href="(/assessment/units/\d+/sheet)">[^<]*人民政府办公室', home).group(1)
        r = s.http.post(server.url + sheet, data={"_csrf": s.csrf, "score_1.1": points[0], "score_2.1": points[1], "submit": "1"},
                        allow_redirects=False, timeout=30)
        assert r.status_code == 303, r.text

    # Results: 财政局 (48 + 46)/2 + 45 = 92.00; 政府办 40.5 + 35 = 75.50. 审定 with a reason.
    sign_in(phone, server.url, "jggw", passwords["jggw"])
    phone.get(server.url + round_path + "/results")
    table = wait.until(EC.presence_of_element_located((By.ID, "results-table")))
    assert "92.00" in table.text and "75.50" in table.text
    results = office.http.get(server.url + round_path + "/results", timeout=10).text
    unit_ids = re.findall(r'name="final_(\d+)"', results)
    version_field = re.search(r'name="version" value="(\d+)"', results).group(1)
    r = office.http.post(server.url + round_path + "/approve", data={"_csrf": office.csrf, "version": version_field,
                         "final_%s" % unit_ids[1]: "76", "reason_%s" % unit_ids[1]: "现场补充材料经党工委认定"}, allow_redirects=False, timeout=30)
    assert r.status_code == 303, r.text
    phone.get(server.url + round_path + "/results")
    table = wait.until(EC.presence_of_element_located((By.ID, "results-table")))
    phone.save_screenshot(str(ARTIFACTS / "assessment-results.png"))
    screen = [[c.text for c in row.find_elements(By.TAG_NAME, "td")] for row in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
    assert "现场补充材料经党工委认定" in phone.find_element(By.ID, "results-changes").text

    xlsx = tmp_path / "results.xlsx"
    xlsx.write_bytes(office.http.get(server.url + round_path + "/results?format=xlsx", timeout=30).content)
    sheet = openpyxl.load_workbook(xlsx).worksheets[0]
    rows = [[("%.2f" % c) if isinstance(c, float) else str(c) if c is not None else "" for c in row] for row in sheet.iter_rows(min_row=2, values_only=True)]
    # Rank, unit, computed, final and grade on the screen equal the sheet's.
    assert [[r[0], r[2], r[8], r[9], r[10]] for r in rows] == [[s[0], s[2], s[8], s[9], s[10]] for s in screen]
    assert rows[0][2].startswith("中共示范县财政局") and rows[0][9] == "92.00" and rows[1][9] == "76.00"
    assert [ws.title for ws in openpyxl.load_workbook(xlsx).worksheets] == ["考评结果", "评分明细", "自动指标", "审定调整"]

    # The 通报 in the official-letter layout: units by grade, the lagging unit told to rectify, no person named.
    bulletin = tmp_path / "bulletin.docx"
    bulletin.write_bytes(office.http.get(server.url + round_path + "/results?format=docx", timeout=30).content)
    text = "\n".join(p.text for p in docx.Document(bulletin).paragraphs)
    assert "关于创建考评验收结果的通报" in text and "优秀（1 个）" in text and "限期整改达标" in text
