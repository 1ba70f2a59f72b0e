"""End-to-end (issue 5): on a phone a branch secretary opens two applicants' case files and records their first six
steps; for the first, a development-target designation dated before a year of cultivation is refused with DEV-08
and the earliest valid date, and recording it on that date succeeds; the second appears in the plan as eligible
next month."""
import datetime
import re

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import seed_demo
from test_life import phone, shot, sign_in  # noqa: F401  (fixture)


def id_number(born: str, seq: int, area: str = "610102") -> str:
    body = f"{area}{born.replace('-', '')}{seq:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]


def test_secretary_records_steps_and_is_refused_an_early_target(server, phone):  # noqa: F811
    server.cli("migrate", "--database-url", str(server.database))
    passwords = seed_demo(server)
    server.start()
    wait = WebDriverWait(phone, 20, ignored_exceptions=(WebDriverException,))
    sign_in(phone, server.url, "zhibu1", passwords["zhibu1"])

    def open_case(name, born, seq):
        phone.get(server.url + "/development")
        wait.until(EC.presence_of_element_located((By.ID, "applicant_name"))).send_keys(name)
        phone.find_element(By.ID, "id_number").send_keys(id_number(born, seq))
        phone.find_element(By.CSS_SELECTOR, "#open-case button[type=submit]").click()
        wait.until(EC.presence_of_element_located((By.ID, "case-title")))
        return phone.current_url

    def record(date, extra=None, expect_ok=True):
        field = wait.until(EC.presence_of_element_located((By.ID, "date")))
        field.clear()
        field.send_keys(date.isoformat())
        for key, value in (extra or {}).items():
            if value is True:  # a checkbox, e.g. the DEV-04 recommendation
                phone.find_element(By.ID, key).click()
            else:
                phone.find_element(By.ID, key).send_keys(value)
        button = phone.find_element(By.CSS_SELECTOR, "#step-form button[type=submit]")
        button.click()
        # The old page also has the steps table: wait until it has been replaced.
        wait.until(EC.staleness_of(button))
        if expect_ok:
            wait.until(EC.presence_of_element_located((By.ID, "case-steps")))
            assert not phone.find_elements(By.ID, "step-problems"), phone.find_element(By.ID, "step-problems").text

    open_case("周申请", "1998-03-12", 961)
    # The server's today (Beijing time), as the step form pre-fills it.
    today = datetime.date.fromisoformat(phone.find_element(By.ID, "date").get_attribute("value"))
    activist = today - datetime.timedelta(days=380)
    for days, extra in [(420, None), (410, None), (380, {"rec_members": True}), (379, None), (379, {"person_1": "陈联系"}), (370, None)]:
        record(today - datetime.timedelta(days=days), extra)
    assert "下一步：第 7 步 确定发展对象" in phone.find_element(By.ID, "next-step").text
    earliest = activist.replace(year=activist.year + 1)
    record(earliest - datetime.timedelta(days=1), expect_ok=False)
    problem = wait.until(EC.presence_of_element_located((By.ID, "step-problems"))).text
    assert "DEV-08" in problem and f"最早可于 {earliest.isoformat()} 办理" in problem, problem
    shot(phone, "development-01-refused")
    record(earliest, {"publicity_start": (earliest - datetime.timedelta(days=14)).isoformat()})
    assert "第 8 步" in phone.find_element(By.ID, "next-step").text

    # A second applicant whose year as an activist ends within the month.
    open_case("吴申请", "1999-05-20", 962)
    activist2 = today - datetime.timedelta(days=355)
    for days, extra in [(400, None), (390, None), (355, {"rec_mass_organisation": True}), (354, None), (354, {"person_1": "陈联系"}), (350, None)]:
        record(today - datetime.timedelta(days=days), extra)
    phone.get(server.url + "/development")
    plan = wait.until(EC.presence_of_element_located((By.ID, "development-plan"))).text
    assert "吴申请" in plan and "下月可办理" in plan, plan
    assert activist2.replace(year=activist2.year + 1).isoformat() in plan
    shot(phone, "development-02-plan")


def test_end_of_procedure_documents_batch_roster_and_annual_plan(server, phone):  # noqa: F811
    """The demo branch's 预备党员 has an approval notice as a .docx (read by python-docx) and is on the roster; a
    batch records 预审 for the development target; the annual plan counts the admission against the branch's target."""
    import io

    import docx
    import requests

    server.cli("migrate", "--database-url", str(server.database))
    passwords = seed_demo(server)
    server.start()
    wait = WebDriverWait(phone, 20, ignored_exceptions=(WebDriverException,))
    sign_in(phone, server.url, "zhibu1", passwords["zhibu1"])

    # The archive keeps the converted member's file, linked to the roster.
    phone.get(server.url + "/development")
    archive = wait.until(EC.presence_of_element_located((By.ID, "development-archive")))
    assert "黄归档" in archive.text and archive.find_elements(By.LINK_TEXT, "名册")

    # Batch: 第 13 步 预审 for the development target, on the server's today.
    today = datetime.date.fromisoformat(phone.find_element(By.ID, "batch_date").get_attribute("value"))
    phone.find_element(By.CSS_SELECTOR, "input[aria-label='选择 何对象']").click()
    Select = __import__("selenium.webdriver.support.ui", fromlist=["Select"]).Select
    Select(phone.find_element(By.ID, "batch_step")).select_by_value("13")
    button = phone.find_element(By.CSS_SELECTOR, "#batch-form button[type=submit]")
    phone.execute_script("arguments[0].scrollIntoView(true);", button)
    button.click()
    # The plan page is replaced by the redirect: wait for the old one to go before reading the new one.
    wait.until(EC.staleness_of(button))
    assert "已批量办理 1 人" in wait.until(EC.visibility_of_element_located((By.ID, "batch-done"))).text
    row = phone.find_element(By.XPATH, "//table[@id='development-plan']//tr[.//a[text()='何对象']]")
    assert "第 14 步" in row.text, row.text
    shot(phone, "development-03-batch")

    # The 预备党员's case: the approval notice downloads as a .docx; the roster link leads to the member.
    link = phone.find_element(By.LINK_TEXT, "林预备")
    link.click()
    wait.until(EC.staleness_of(link))
    documents = wait.until(EC.presence_of_element_located((By.ID, "case-documents")))
    href = documents.find_element(By.PARTIAL_LINK_TEXT, "批复").get_attribute("href")
    session = requests.Session()
    for cookie in phone.get_cookies():
        session.cookies.set(cookie["name"], cookie["value"])
    reply = session.get(href, timeout=30)
    assert reply.status_code == 200 and "wordprocessingml" in reply.headers["Content-Type"]
    texts = [p.text for p in docx.Document(io.BytesIO(reply.content)).paragraphs]
    assert texts[0] == "关于同意接收林预备同志为中共预备党员的批复", texts[0]
    assert any("预备期一年" in t for t in texts), texts
    assert re.fullmatch(r"二〇[〇一二三四五六七八九]{2}年[一二三四五六七八九十]+月[一二三四五六七八九十]+日", texts[-1]), texts[-1]
    approved = datetime.date.fromisoformat(
        phone.find_element(By.XPATH, "//table[@id='case-steps']//tr[td[1][starts-with(., '17.')]]/td[4]").text.strip()[:10])
    member_link = phone.find_element(By.CSS_SELECTOR, "#case-member a")
    member_link.click()
    wait.until(EC.staleness_of(member_link))
    assert "预备党员" in wait.until(EC.presence_of_element_located((By.TAG_NAME, "main"))).text

    # The annual plan: the branch's target of 2 and the admissions approved this year.
    phone.get(server.url + "/development/annual")
    row = wait.until(EC.presence_of_element_located(
        (By.XPATH, "//table[@id='annual-plan']//tr[contains(., '第一支部')]")))
    cells = [td.text for td in row.find_elements(By.TAG_NAME, "td")]
    assert cells[1] == "2", cells
    assert cells[2] == ("1" if approved.year == today.year else "0"), (cells, approved)
    shot(phone, "development-04-annual")
