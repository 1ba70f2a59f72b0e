"""End-to-end (issue 17, item 19: progress for anything that takes more than a second): on a 375 px phone the 机关工委
uploads a 3,000-row roster (written by openpyxl) and sees how much has been sent and then that the server is
checking it, with the seconds so far, before the preview; the roster export shows that the file is being prepared
and downloaded, and the file that arrives is the export openpyxl reads."""
import datetime
import time

import openpyxl
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import ARTIFACTS, seed_demo, sign_in
from test_members import id_number

# Every text the progress bar shows, kept on the window (which survives the page being replaced in place).
WATCH = """
window.__progress = window.__progress || [];
new MutationObserver(function () {
  var s = document.getElementById('progress-status');
  if (s && !s.hidden) { var t = s.textContent; if (window.__progress[window.__progress.length - 1] !== t) { window.__progress.push(t); } }
}).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true});
"""


def test_upload_and_download_show_progress(server, phone, tmp_path):
    server.cli("migrate", "--database-url", str(server.database))
    passwords = seed_demo(server)
    server.start()
    wait = WebDriverWait(phone, 60, ignored_exceptions=(WebDriverException,))
    phone.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["姓名", "公民身份号码", "入党时间", "转正时间", "文化程度"])
    for i in range(3000):
        born = datetime.date(1960, 1, 1) + datetime.timedelta(days=2 * i)
        ws.append([f"进度测试{i:04d}", id_number(born.isoformat(), 100 + i % 800), "2005-07-01", "2006-07-01", "本科"])
    path = tmp_path / "三千人花名册.xlsx"
    wb.save(path)

    sign_in(phone, server.url, "jggw", passwords["jggw"])
    phone.get(server.url + "/members")
    link = wait.until(EC.presence_of_element_located((By.LINK_TEXT, "导入花名册")))
    phone.get(link.get_attribute("href"))
    wait.until(EC.presence_of_element_located((By.ID, "file"))).send_keys(str(path))
    phone.execute_script(WATCH)
    phone.find_element(By.CSS_SELECTOR, "#import-form button[type=submit]").click()
    wait.until(EC.presence_of_element_located((By.ID, "import-preview")))
    seen = phone.execute_script("return window.__progress || []")
    assert any("正在上传" in t and "三千人花名册.xlsx" in t for t in seen), seen
    assert any("正在校验" in t for t in seen), seen
    assert phone.find_element(By.ID, "count-create").text == "3000"
    assert phone.execute_script("return document.documentElement.scrollWidth") <= 375
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    phone.save_screenshot(str(ARTIFACTS / "progress-01-preview.png"))

    # The export: prepared, downloaded, saved under its Chinese name.
    phone.get(server.url + "/members")
    export = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "a[href^='/members/export.xlsx']")))
    phone.execute_script(WATCH)
    phone.execute_script("arguments[0].click()", export)
    status = wait.until(EC.presence_of_element_located((By.ID, "progress-status")))
    wait.until(lambda d: "已下载" in status.text)
    seen = phone.execute_script("return window.__progress || []")
    assert any("正在生成文件" in t for t in seen) and "已下载" in status.text, seen
    deadline = time.time() + 30
    files = []
    while time.time() < deadline:
        files = [p for p in tmp_path.iterdir() if p.suffix == ".xlsx" and p.name != path.name]
        if files and not any(p.suffix == ".crdownload" for p in tmp_path.iterdir()):
            break
        time.sleep(0.2)
    assert files, list(tmp_path.iterdir())
    rows = list(openpyxl.load_workbook(files[0]).active.iter_rows(values_only=True))
    assert rows[0][0] == "姓名" and len(rows) > 1
    phone.save_screenshot(str(ARTIFACTS / "progress-02-download.png"))
