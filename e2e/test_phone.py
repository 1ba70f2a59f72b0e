"""Issue 17 item 16: every page fits a 375 px phone. For each demo role, the pages its links reach (`test_links.crawl`,
one page per shape, shapes another role already covered skipped) are loaded in Chromium at 375 px; the test fails on
any page wider than the screen and names the element that sticks out."""
import shutil

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from conftest import ARTIFACTS, Session, seed_demo, sign_in
from test_links import ROLES, crawl, shape

WIDTH = 375

# The widest element whose right edge passes the viewport, to say what to fix.
OVERFLOW = """
const width = document.documentElement.clientWidth;
if (document.documentElement.scrollWidth <= width) return null;
let worst = null;
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  if (r.right > width + 1 && (!worst || r.right > worst.right)) {
    let p = el.parentElement, clipped = false;
    while (p) { const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll' || o === 'hidden') { clipped = true; break; } p = p.parentElement; }
    if (!clipped) worst = {right: Math.round(r.right), tag: el.tagName.toLowerCase(), id: el.id, cls: el.className && el.className.toString(), text: (el.innerText || '').slice(0, 40)};
  }
}
return {scrollWidth: document.documentElement.scrollWidth, worst: worst};
"""


@pytest.fixture()
def phone():
    options = webdriver.ChromeOptions()
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", f"--window-size={WIDTH},812", "--lang=zh-CN"]:
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)
    driver.set_window_size(WIDTH, 812)
    yield driver
    driver.quit()


def test_every_page_fits_a_375px_phone(server, phone):
    server.cli("migrate", "--database-url", str(server.database))
    passwords = seed_demo(server)
    server.start()
    covered, wide, checked = set(), [], 0
    for role in ROLES:
        session = Session(server.url)
        session.login(role, passwords[role])
        visited, _ = crawl(session, server.url, per_shape=1)
        pages = [url for url, status, kind in visited if status == 200 and kind.startswith("text/html") and shape(url) not in covered]
        sign_in(phone, server.url, role, passwords[role])
        for url in pages:
            covered.add(shape(url))
            phone.get(server.url + url)
            checked += 1
            found = phone.execute_script(OVERFLOW)
            if found:
                wide.append(f"{role} {url}: {found['scrollWidth']} px, widest {found['worst']}")
                phone.save_screenshot(str(ARTIFACTS / f"phone-{role}-{len(wide)}.png"))
    print(f"375 px: {checked} pages of {len(covered)} shapes, {len(wide)} too wide")
    assert not wide, "pages wider than a 375 px screen:\n" + "\n".join(wide)
    assert checked > 60, f"only {checked} pages reached"

