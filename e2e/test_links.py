"""Issue 17 item 11: a link a user cannot follow is not shown. For every demo role, follow every link reachable from
the home page (same site, GET) and fail on any answer of 400 or above, naming the page that showed the link.

`crawl` is shared with the 375 px test (`test_phone.py`), which loads the pages it finds."""
import re
from collections import deque
from html import unescape
from urllib.parse import urljoin, urlsplit

from conftest import Session, seed_demo

# Every account `dangjian demo` creates: the three administrators (三员), the offices, two secretaries, a member.
ROLES = ["sysadmin", "secadmin", "auditor", "zzb", "jggw", "czj", "zhibu1", "dongjie", "dangyuan"]
# Pages of one shape (`/members/12`, `/members/13` …) after which further ones are not fetched: the shape is covered.
PER_SHAPE = 4
PER_ROLE = 400
HREF = re.compile(r'<a\b[^>]*\bhref="([^"#]*)', re.I)


def shape(path_and_query: str) -> str:
    """`/members/12?org=3` → `/members/#?org=#`: pages that differ only by record."""
    return re.sub(r"\d+", "#", path_and_query)


def crawl(session: Session, base: str, per_role: int = PER_ROLE, per_shape: int = PER_SHAPE):
    """Breadth-first over the links a signed-in user is shown. Returns (visited [(url, status, content type)],
    broken [(url, status, referrer)])."""
    seen = {"/"}
    shapes: dict = {}
    queue = deque([("/", "(首页)")])
    visited, broken = [], []
    while queue and len(visited) < per_role:
        target, referrer = queue.popleft()
        r = session.http.get(base + target, allow_redirects=True, timeout=20)
        visited.append((target, r.status_code, r.headers.get("Content-Type", "")))
        if r.status_code >= 400:
            broken.append((target, r.status_code, referrer))
            continue
        if not r.headers.get("Content-Type", "").startswith("text/html"):
            continue
        for raw in HREF.findall(r.text):
            link = urljoin(base + target, unescape(raw))
            parts = urlsplit(link)
            if parts.netloc != urlsplit(base).netloc or not parts.path.startswith("/"):
                continue
            local = parts.path + (("?" + parts.query) if parts.query else "")
            if local in seen or parts.path.startswith("/static/"):
                continue
            seen.add(local)
            key = shape(local)
            if shapes.get(key, 0) >= per_shape:
                continue
            shapes[key] = shapes.get(key, 0) + 1
            queue.append((local, target))
    return visited, broken


def test_every_link_each_role_is_shown_can_be_followed(server):
    server.cli("migrate", "--database-url", str(server.database))
    passwords = seed_demo(server)
    server.start()
    report, failures = [], []
    for role in ROLES:
        session = Session(server.url)
        session.login(role, passwords[role])
        visited, broken = crawl(session, server.url)
        report.append(f"{role}: {len(visited)} pages")
        failures += [f"{role}: GET {url} → {status} (linked from {ref})" for url, status, ref in broken]
        assert len(visited) > 3, f"{role} reached only {visited}"
    print("link crawl: " + "; ".join(report))
    assert not failures, "links that cannot be followed:\n" + "\n".join(failures)
