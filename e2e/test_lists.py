"""End-to-end (issue 6, 三单一账): the agency work committee creates a campaign and a task for two branches; one
branch claims it, records progress in the ledger and reports it done; the committee's supervision group records a
finding at a visit, issues a reminder letter that downloads as a .docx read by python-docx; the branch plans the
rectification and requests closure, acknowledges the letter; the committee accepts and closes the problem; the
monthly report (月通报) shows each step, on screen and in the .xlsx read by openpyxl."""
import datetime
import io
import re

import docx
import openpyxl
import requests
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import seed_demo
from test_life import phone, shot, sign_in  # noqa: F401  (fixture)


def test_campaign_supervision_rectification_and_monthly_report(server, phone):  # noqa: F811
    server.cli("migrate", "--database-url", str(server.database))
    passwords = seed_demo(server)
    server.start()
    wait = WebDriverWait(phone, 20, ignored_exceptions=(WebDriverException,))

    def submit(form_id, button=None):
        b = phone.find_element(By.CSS_SELECTOR, button or f"#{form_id} button[type=submit]")
        confirms = b.get_attribute("data-confirm")
        b.click()
        if confirms:  # destructive or final steps ask first (issue 17 item 12)
            phone.switch_to.alert.accept()
        wait.until(EC.staleness_of(b))
        assert not phone.find_elements(By.ID, "form-error"), phone.find_element(By.ID, "form-error").text

    def fill(field_id, value):
        field = wait.until(EC.presence_of_element_located((By.ID, field_id)))
        field.clear()
        field.send_keys(value)

    def figures():
        phone.get(server.url + "/ledger/report")
        table = wait.until(EC.presence_of_element_located((By.ID, "report-figures")))
        rows = [[td.text for td in tr.find_elements(By.TAG_NAME, "td")] for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr")]
        return {r[0]: (int(r[1]), int(r[2])) for r in rows}

    def pick(select_id, *labels):
        select = Select(wait.until(EC.presence_of_element_located((By.ID, select_id))))
        for option in select.options:
            if option.text.strip() in labels:
                select.select_by_value(option.get_attribute("value"))

    # 1. The committee creates a campaign and a task for two branches.
    sign_in(phone, server.url, "jggw", passwords["jggw"])
    phone.get(server.url + "/problems")  # the new-problem form is pre-filled with the server's today
    today = datetime.date.fromisoformat(wait.until(EC.presence_of_element_located((By.ID, "found_on"))).get_attribute("value"))
    phone.get(server.url + "/campaigns")
    fill("name", "模范机关创建（端到端）")
    fill("description", "4类11项重点任务")
    submit("campaign-form")
    wait.until(EC.presence_of_element_located((By.ID, "campaign-title")))
    fill("category", "政治建设")
    fill("title", "开展“第一议题”学习")
    fill("deliverable", "学习记录")
    fill("deadline", (today + datetime.timedelta(days=20)).isoformat())
    pick("assignees", "中共示范县人民政府办公室第一支部委员会", "中共示范县人民政府办公室第二支部委员会")
    submit("task-form")
    board = wait.until(EC.presence_of_element_located((By.ID, "campaign-board")))
    assert board.text.count("推进中") == 2, board.text
    shot(phone, "lists-01-board")
    before = figures()

    # 2. A branch claims the task, records progress in the ledger and reports it done.
    sign_in(phone, server.url, "zhibu1", passwords["zhibu1"])
    phone.get(server.url + "/tasks")
    wait.until(EC.presence_of_element_located((By.LINK_TEXT, "开展“第一议题”学习"))).click()
    fill("owner", "陈书记")
    fill("refinement", "每月第一周集中学习")
    submit("claim-form")
    phone.find_element(By.ID, "complete-form").find_element(By.TAG_NAME, "button").click()
    phone.switch_to.alert.accept()
    error = wait.until(EC.presence_of_element_located((By.ID, "form-error"))).text
    assert "LIST-05" in error, error
    fill("text", "已组织集中学习一次")
    fill("evidence", "学习记录第 3 页")
    photo = server.workdir / "现场照片.png"
    phone.get_screenshot_as_file(str(photo))  # a real PNG, as a phone camera would give a JPEG
    phone.find_element(By.ID, "evidence_file").send_keys(str(photo))
    submit("progress-form")
    assert "附件：现场照片.png" in wait.until(EC.presence_of_element_located((By.ID, "ledger"))).text
    submit("complete-form")
    assert wait.until(EC.presence_of_element_located((By.ID, "task-state"))).text == "已完成"
    shot(phone, "lists-02-task-done")

    # 3. The committee sets up a supervision group and round, records a finding, issues a reminder letter.
    sign_in(phone, server.url, "jggw", passwords["jggw"])
    phone.get(server.url + "/supervision")
    fill("group_name", "端到端督导组")
    fill("members", "jggw 组长")
    pick("organisations", "中共示范县人民政府办公室第一支部委员会")
    submit("group-form")
    fill("round_name", "端到端专项督查")
    fill("scheme", "8方面30项创建指标")
    fill("starts_on", (today - datetime.timedelta(days=1)).isoformat())
    fill("ends_on", (today + datetime.timedelta(days=10)).isoformat())
    submit("round-form")
    wait.until(EC.presence_of_element_located((By.ID, "round-title")))
    round_url = phone.current_url
    pick("group", "端到端督导组")
    pick("organisation", "政府办第一支部（端到端督导组）")
    fill("findings", "组织生活：支委会会议记录不全")
    submit("visit-form")
    assert "发现问题 1 个" in wait.until(EC.presence_of_element_located((By.ID, "round-summary"))).text
    after_finding = figures()
    assert after_finding["发现问题"][1] == before["发现问题"][1] + 1 and after_finding["督导次数"][1] == before["督导次数"][1] + 1
    phone.get(round_url)
    wait.until(EC.presence_of_element_located((By.LINK_TEXT, "下发提醒函"))).click()
    body = wait.until(EC.presence_of_element_located((By.ID, "body"))).get_attribute("value")
    assert "支委会会议记录不全" in body
    submit("letter-form")
    letters = wait.until(EC.presence_of_element_located((By.ID, "letters")))
    number = re.search(r"提醒函〔\d{4}〕\d+号", letters.text).group(0)
    phone.find_element(By.XPATH, "//button[text()='标记已发送']").click()
    wait.until(EC.presence_of_element_located((By.XPATH, "//span[@class='letter-state' and text()='已发送']")))
    session = requests.Session()
    for cookie in phone.get_cookies():
        session.cookies.set(cookie["name"], cookie["value"])
    href = phone.find_element(By.CSS_SELECTOR, "#letters a[href$='letter.docx']").get_attribute("href")
    letter = docx.Document(io.BytesIO(session.get(href, timeout=30).content))
    texts = [p.text for p in letter.paragraphs]
    assert texts[0] == "关于督导检查发现问题的提醒函" and texts[1] == number
    assert texts[2] == "政府办第一支部：", texts[2]
    assert any("支委会会议记录不全" in t for t in texts) and texts[-2] == "县直机关工委"
    assert re.fullmatch(r"二〇[〇一二三四五六七八九]{2}年[一二三四五六七八九十]+月[一二三四五六七八九十]+日", texts[-1]), texts[-1]
    section = letter.sections[0]
    assert abs(section.page_width.mm - 210) < 1 and abs(section.page_height.mm - 297) < 1, "A4"
    assert figures()["下发提醒函"][1] == before["下发提醒函"][1] + 1

    # 4. The branch rectifies: plans measures and requests closure; acknowledges the letter.
    sign_in(phone, server.url, "zhibu1", passwords["zhibu1"])
    phone.get(server.url + "/problems")
    wait.until(EC.presence_of_element_located((By.LINK_TEXT, "支委会会议记录不全"))).click()
    fill("plan_text", "逐月补齐支委会记录，书记审签")
    fill("responsible", "陈书记")
    submit("plan-form")
    assert wait.until(EC.presence_of_element_located((By.ID, "problem-state"))).text == "整改中"
    fill("rectify_text", "已补齐近三个月记录，见记录本第 5–9 页")
    submit("rectify-form", "#request-closure")
    assert wait.until(EC.presence_of_element_located((By.ID, "problem-state"))).text == "申请销号"
    assert not phone.find_elements(By.ID, "accept-form"), "the branch cannot accept its own rectification"
    problem_url = phone.current_url
    phone.get(server.url + "/letters")
    phone.find_element(By.XPATH, "//button[text()='签收']").click()
    wait.until(EC.presence_of_element_located((By.XPATH, "//span[@class='letter-state' and text()='已签收']")))
    shot(phone, "lists-03-closure-requested")

    # 5. The committee accepts and closes the problem; the report shows it rectified.
    sign_in(phone, server.url, "jggw", passwords["jggw"])
    phone.get(problem_url)
    fill("accept_text", "经查阅记录本，整改到位")
    submit("accept-form", "#accept")
    assert wait.until(EC.presence_of_element_located((By.ID, "problem-state"))).text == "已销号"
    final = figures()
    session = requests.Session()
    for cookie in phone.get_cookies():
        session.cookies.set(cookie["name"], cookie["value"])
    assert final["整改销号"][1] == before["整改销号"][1] + 1 and final["已签收"][1] == before["已签收"][1] + 1
    assert final["按期完成"][1] == before["按期完成"][1] + 1
    ranking = phone.find_element(By.ID, "report-ranking").text
    assert "政府办第一支部" in ranking
    shot(phone, "lists-04-report")
    xlsx = phone.find_element(By.PARTIAL_LINK_TEXT, "下载 Excel").get_attribute("href")
    book = openpyxl.load_workbook(io.BytesIO(session.get(xlsx, timeout=30).content))
    assert book.sheetnames == ["汇总", "各单位排名"]
    sheet = {row[0].value: (int(row[1].value), int(row[2].value)) for row in list(book["汇总"].iter_rows())[1:]}
    assert sheet == final
    phone.get(server.url + "/ledger/report?public=1")
    assert "下载 Excel" not in phone.find_element(By.TAG_NAME, "main").text
