"""End-to-end (issue 17, items 1–2: one ledger, one set of states): on a 375 px phone the secretary of 政府办第一支部
opens the duty list (责任清单); its 支部党员大会 item says it is fulfilled by the meeting records and cannot be entered a
second time. The secretary records today's 支部党员大会 once, in 组织生活, and the duty list's count for this quarter
goes up by one. The stars are the same on the duty list, the heat-map and the 实时质量图; every page explains the
colours; the yearly items are listed once and not in the earlier months; every page fits the phone."""
import datetime
import re

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import ARTIFACTS, seed_demo, sign_in

BRANCH = "政府办第一支部"


def fits(browser):
    return browser.execute_script("return document.documentElement.scrollWidth") <= browser.execute_script("return window.innerWidth")


def test_meeting_fulfils_duty_item_and_stars_agree(server, phone):
    server.cli("migrate", "--database-url", str(server.database))
    passwords = seed_demo(server)
    server.start()
    wait = WebDriverWait(phone, 20, ignored_exceptions=(WebDriverException,))
    sign_in(phone, server.url, "zhibu1", passwords["zhibu1"])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def duty_page():
        phone.get(server.url + "/duties")
        wait.until(EC.presence_of_element_located((By.ID, "duty-lists"))).find_element(By.PARTIAL_LINK_TEXT, BRANCH).click()
        return wait.until(EC.presence_of_element_located((By.ID, "duty-items")))

    items = duty_page()
    assert "由组织生活记录自动完成" in phone.find_element(By.ID, "legend").text and fits(phone)
    row = next(tr for tr in items.find_elements(By.CSS_SELECTOR, "tbody tr") if "召开一次支部党员大会" in tr.text)
    assert "由“支部党员大会”记录自动完成" in row.text, row.text
    options = [o.text for o in phone.find_elements(By.CSS_SELECTOR, "#item option")]
    assert options and not any("支部党员大会" in o for o in options), options
    # The server's day (Beijing time) from the meeting form below; the quarter's cell is labelled Q1…Q4.
    phone.get(server.url + "/orgs")
    wait.until(EC.element_to_be_clickable((By.LINK_TEXT, "中共示范县人民政府办公室第一支部委员会"))).click()
    wait.until(EC.element_to_be_clickable((By.ID, "meetings-link"))).click()
    meetings_page = phone.current_url
    phone.get(meetings_page.replace("/meetings", "/meetings/new") + "?kind=general_meeting")
    held = wait.until(EC.presence_of_element_located((By.ID, "held_on")))
    today = datetime.date.fromisoformat(held.get_attribute("value"))
    quarter = f"Q{(today.month - 1) // 3 + 1}"
    items = duty_page()
    row = next(tr for tr in items.find_elements(By.CSS_SELECTOR, "tbody tr") if "召开一次支部党员大会" in tr.text)
    before = int(re.search(quarter + r" (\d+)", row.text).group(1))

    # One record, in 组织生活.
    phone.get(meetings_page.replace("/meetings", "/meetings/new") + "?kind=general_meeting")
    wait.until(EC.presence_of_element_located((By.ID, "topic"))).send_keys("本季度支部党员大会（端到端）")
    phone.find_element(By.CSS_SELECTOR, "#meeting-form button[type=submit]").click()
    wait.until(EC.presence_of_element_located((By.ID, "meeting-title")))

    items = duty_page()
    row = next(tr for tr in items.find_elements(By.CSS_SELECTOR, "tbody tr") if "召开一次支部党员大会" in tr.text)
    assert int(re.search(quarter + r" (\d+)", row.text).group(1)) == before + 1, row.text
    duty_stars = int(re.search(r"（(\d+) 颗）", phone.find_element(By.TAG_NAME, "main").text).group(1))
    phone.save_screenshot(str(ARTIFACTS / "standing-01-duty-list.png"))

    # The heat-map: the same stars; the yearly items listed once and not in the months before December.
    phone.get(meetings_page)
    heatmap = wait.until(EC.presence_of_element_located((By.ID, "heatmap")))
    assert int(re.search(r"本年已贴星 (\d+) 颗", phone.find_element(By.ID, "year-stars").text).group(1)) == duty_stars
    assert "组织生活会" in phone.find_element(By.ID, "yearly").text
    for cell in heatmap.find_elements(By.CSS_SELECTOR, "li.cell"):
        if int(cell.get_attribute("data-month")) < 12:
            assert "组织生活会未按规定开展" not in cell.text, cell.text
    assert "红色" in phone.find_element(By.ID, "legend").text and fits(phone)
    phone.save_screenshot(str(ARTIFACTS / "standing-02-heatmap.png"))

    # The board: the same stars, each in its month.
    phone.get(server.url + "/board")
    board = wait.until(EC.presence_of_element_located((By.ID, "board")))
    tile = next(li for li in board.find_elements(By.CSS_SELECTOR, "li.tile-board") if BRANCH in li.text)
    assert int(re.search(r"★ (\d+)", tile.find_element(By.CSS_SELECTOR, ".stars").text).group(1)) == duty_stars
    starred = [i for i in tile.find_elements(By.CSS_SELECTOR, ".strip i") if "★" in i.get_attribute("textContent")]
    assert len(starred) == duty_stars
    assert "红色" in phone.find_element(By.ID, "legend").text and fits(phone)
    phone.save_screenshot(str(ARTIFACTS / "standing-03-board.png"))
