"""End-to-end (issue 4, the board): a deployment makes quarterly activities yellow for the whole quarter (a local
rule version, 双色预警); a 机关工委 registers a branch established at the start of the quarter; the branch has held
its 党课 and its monthly 主题党日, so on the 实时质量图 it is yellow only for the quarter's 支部党员大会; on a
phone-sized window the 支部党员大会 is recorded, and the tile turns green, as does the committee's roll-up."""
import datetime

from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import seed_demo
from test_life import phone, shot, sign_in  # noqa: F401  (fixture)

BRANCH = "端到端质量图支部"


def tile(phone, server):
    phone.get(server.url + "/board")
    board = WebDriverWait(phone, 20, ignored_exceptions=(WebDriverException,)).until(EC.presence_of_element_located((By.ID, "board")))
    return next(li for li in board.find_elements(By.CSS_SELECTOR, "li.tile-board") if BRANCH in li.text)


def test_branch_turns_from_yellow_to_green_on_the_board(server, phone):  # noqa: F811
    server.cli("migrate", "--database-url", str(server.database))
    passwords = seed_demo(server)
    server.start()
    wait = WebDriverWait(phone, 20, ignored_exceptions=(WebDriverException,))

    # 1. A local rule version: quarterly activities are yellow for the last 90 days of a quarter.
    sign_in(phone, server.url, "sysadmin", passwords["sysadmin"])
    phone.get(server.url + "/admin/rules")
    # The form proposes today (Beijing time) as the effective date.
    today = datetime.date.fromisoformat(wait.until(EC.presence_of_element_located((By.ID, "effective_from"))).get_attribute("value"))
    version = phone.find_element(By.ID, "version")
    version.clear()
    version.send_keys("端到端-双色预警")
    days = phone.find_element(By.ID, "life_warning_days_quarter")
    days.clear()
    days.send_keys("90")
    phone.find_element(By.CSS_SELECTOR, "form button.primary").click()
    phone.switch_to.alert.accept()
    wait.until(EC.url_contains("saved=1"))

    # 2. The 机关工委 registers a branch established on the first day of this quarter.
    quarter_start = datetime.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    sign_in(phone, server.url, "jggw", passwords["jggw"])
    phone.get(server.url + "/orgs")
    phone.find_element(By.PARTIAL_LINK_TEXT, "直属机关工作委员会").click()
    wait.until(EC.element_to_be_clickable((By.LINK_TEXT, "在此组织下新建组织"))).click()
    Select(wait.until(EC.presence_of_element_located((By.ID, "org_type")))).select_by_value("branch")
    phone.find_element(By.ID, "name").send_keys(BRANCH)
    phone.find_element(By.ID, "effective_date").send_keys(quarter_start.isoformat())
    phone.find_element(By.CSS_SELECTOR, "form button.primary").click()
    wait.until(EC.element_to_be_clickable((By.ID, "meetings-link"))).click()
    meetings_page = phone.current_url

    def record(kind, day, topic, lecturer=None):
        phone.get(meetings_page.replace("/meetings", "/meetings/new") + f"?kind={kind}")
        held = wait.until(EC.presence_of_element_located((By.ID, "held_on")))
        held.clear()
        held.send_keys(day.isoformat())
        phone.find_element(By.ID, "topic").send_keys(topic)
        if lecturer:
            phone.find_element(By.ID, "lecturer").send_keys(lecturer)
        phone.find_element(By.CSS_SELECTOR, "#meeting-form button[type=submit]").click()
        wait.until(EC.presence_of_element_located((By.ID, "meeting-title")))

    # Everything due so far except the quarter's general meeting: the lecture, and a theme day every month.
    record("party_lecture", today, "本季度党课", lecturer="支部书记")
    month = quarter_start
    while month <= today:
        record("theme_day", min(today, month.replace(day=10)), f"{month.month}月主题党日")
        month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)

    before = tile(phone, server)
    assert "yellow" in before.get_attribute("class").split(), before.get_attribute("class")
    shot(phone, "board-01-yellow")

    # 3. The 支部党员大会 is recorded; the tile turns green and the roll-up agrees.
    record("general_meeting", today, "本季度支部党员大会")
    after = tile(phone, server)
    assert "green" in after.get_attribute("class").split(), after.get_attribute("class")
    shot(phone, "board-02-green")
    phone.get(server.url + "/compliance")
    row = next(tr for tr in wait.until(EC.presence_of_element_located((By.ID, "compliance"))).find_elements(By.CSS_SELECTOR, "tr")
               if BRANCH in tr.text)
    assert "state-green" in row.get_attribute("class")
