"""End-to-end (issue 18, first part): on a 375 px phone a branch secretary opens 党费, sets a member's category and
monthly base, and sees the monthly amount the rules give (4,321.57 × 1 % = 43.22, DUES-02/16); a negative base is
refused in Chinese with what was typed kept; the page fits the phone."""
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import ARTIFACTS, seed_demo, sign_in


def fits(browser):
    return browser.execute_script("return document.documentElement.scrollWidth") <= browser.execute_script("return window.innerWidth")


def test_secretary_sets_a_base_on_phone(server, phone):
    server.cli("migrate", "--database-url", str(server.database))
    passwords = seed_demo(server)
    server.start()
    wait = WebDriverWait(phone, 20, ignored_exceptions=(WebDriverException,))
    sign_in(phone, server.url, "zhibu1", passwords["zhibu1"])

    # 党费 is in the (folded) menu.
    phone.find_element(By.CSS_SELECTOR, ".site-nav .collapse-toggle").click()
    wait.until(EC.element_to_be_clickable((By.LINK_TEXT, "党费基数"))).click()
    summary = wait.until(EC.presence_of_element_located((By.ID, "dues-summary"))).text
    assert "已设定党费基数" in summary and fits(phone)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone.save_screenshot(str(ARTIFACTS / "dues-01-sheet.png"))
    rows = phone.find_elements(By.CSS_SELECTOR, "#dues-sheet tbody tr")
    assert len(rows) >= 5
    name = rows[0].find_element(By.CSS_SELECTOR, "td").text.replace("（预备）", "")
    rows[0].find_element(By.LINK_TEXT, "设定").click()

    form = wait.until(EC.presence_of_element_located((By.ID, "dues-form")))
    assert "DUES-16" in phone.find_element(By.ID, "dues-rates").text and fits(phone)
    Select(phone.find_element(By.ID, "category")).select_by_visible_text("在职（按月工资）")
    base = phone.find_element(By.ID, "base")
    base.clear()
    base.send_keys("-100")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    errors = wait.until(EC.presence_of_element_located((By.ID, "dues-errors"))).text
    assert "月缴费基数不能为负数" in errors
    assert phone.find_element(By.ID, "base").get_attribute("value") == "-100"
    base = phone.find_element(By.ID, "base")
    base.clear()
    base.send_keys("4321.57")
    phone.find_element(By.CSS_SELECTOR, "#dues-form button[type=submit]").click()

    saved = wait.until(EC.presence_of_element_located((By.ID, "dues-saved"))).text
    assert name in saved and "43.22" in saved, saved
    row = phone.find_element(By.CSS_SELECTOR, "#dues-sheet tr[aria-current=true]")
    assert "4321.57 元" in row.text and "43.22 元" in row.text
    assert fits(phone)
    phone.save_screenshot(str(ARTIFACTS / "dues-02-saved.png"))
