"""End-to-end (issue 17, item 6): a secretary half-way through a meeting record loses the session (idle timeout,
here the session cookie gone); the form sent then leads to the sign-in page, and after signing in she is back on
the form with what she typed, told so; once saved, the draft is gone. The page carries the session's remaining
time and "继续使用" keeps the session."""
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import ARTIFACTS, seed_demo, sign_in, totp_code


def test_half_filled_meeting_survives_the_session_ending(server, phone):
    server.cli("migrate", "--database-url", str(server.database))
    passwords = seed_demo(server)
    server.start()
    wait = WebDriverWait(phone, 20, ignored_exceptions=(WebDriverException,))

    sign_in(phone, server.url, "zhibu1", passwords["zhibu1"])
    # The page knows how long the session lasts without activity; "继续使用" asks the server, which keeps it.
    left = int(phone.find_element(By.TAG_NAME, "body").get_attribute("data-session-left"))
    assert left > 60, left
    seconds = phone.execute_async_script(
        "var done = arguments[0]; fetch('/account/session-left', {credentials: 'same-origin'}).then(r => r.json()).then(d => done(d.seconds));")
    assert seconds > 60, seconds

    phone.get(server.url + "/orgs")
    phone.find_element(By.LINK_TEXT, "中共示范县人民政府办公室第一支部委员会").click()
    wait.until(EC.element_to_be_clickable((By.ID, "meetings-link"))).click()
    Select(wait.until(EC.presence_of_element_located((By.ID, "kind")))).select_by_visible_text("党课")
    phone.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    form_url = wait.until(EC.presence_of_element_located((By.ID, "meeting-form"))) and phone.current_url
    phone.find_element(By.ID, "topic").send_keys("草稿测试：学习党章")
    phone.find_element(By.ID, "lecturer").send_keys("王书记")
    phone.find_element(By.ID, "minutes").send_keys("一、学习党章总纲；二、交流体会。")

    # The session ends while she types (as the idle timeout does); she presses 保存.
    phone.delete_cookie("dj_session")
    phone.find_element(By.CSS_SELECTOR, "#meeting-form button[type=submit]").click()
    wait.until(EC.presence_of_element_located((By.ID, "username")))
    assert "/login" in phone.current_url and "next=" in phone.current_url, phone.current_url
    phone.find_element(By.ID, "username").send_keys("zhibu1")
    phone.find_element(By.ID, "password").send_keys(passwords["zhibu1"])
    phone.find_element(By.CSS_SELECTOR, "main button[type=submit]").click()
    wait.until(lambda b: "/login/verify" in b.current_url or b.find_elements(By.ID, "meeting-form"))
    if "/login/verify" in phone.current_url:
        phone.find_element(By.ID, "code").send_keys(totp_code("zhibu1"))
        phone.find_element(By.CSS_SELECTOR, "main form[action='/login/verify'] button[type=submit]").click()

    # Back on the form, with what was typed and a note saying so — not on 首页 with nothing.
    notice = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, ".draft-restored")))
    assert "已恢复" in notice.text
    assert phone.current_url == form_url, (phone.current_url, form_url)
    assert phone.find_element(By.ID, "topic").get_attribute("value") == "草稿测试：学习党章"
    assert phone.find_element(By.ID, "lecturer").get_attribute("value") == "王书记"
    assert "学习党章总纲" in phone.find_element(By.ID, "minutes").get_attribute("value")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone.save_screenshot(str(ARTIFACTS / "drafts-01-restored.png"))

    phone.find_element(By.CSS_SELECTOR, "#meeting-form button[type=submit]").click()
    wait.until(EC.presence_of_element_located((By.ID, "meeting-title")))
    assert "已保存会议记录" in phone.find_element(By.ID, "flash").text
    # Saved: the same form opened again is empty, with no note.
    phone.get(form_url)
    wait.until(EC.presence_of_element_located((By.ID, "meeting-form")))
    assert phone.find_element(By.ID, "topic").get_attribute("value") == ""
    assert not phone.find_elements(By.CSS_SELECTOR, ".draft-restored")
