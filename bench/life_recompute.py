"""Independent recomputation of a subtree's organisational-life roll-up (rules LIFE-01…09 and LIFE-11 with the national
defaults and the default warning days, and the organisations' duty lists, LIST-09) straight from the SQLite file, to
check the server's figures at scale. Written from rules.md and decision 0032 (the state now: the periods running
today and those that ended last month; a duty item naming a meeting is fulfilled by the meetings of that kind), not
from the Swift code."""
import datetime
import sqlite3
from collections import defaultdict

BRANCHES = {"branch", "joint_branch", "temporary_branch"}
# (rule, kind, period, only with a committee)
REQUIREMENTS = [("LIFE-01", "general_meeting", "quarter", False), ("LIFE-03", "committee_meeting", "month", True),
                ("LIFE-05", "party_lecture", "quarter", False), ("LIFE-06", "theme_day", "month", False),
                ("LIFE-07", "life_meeting", "year", False), ("LIFE-08", "democratic_evaluation", "year", False),
                ("LIFE-09", "heart_talk", "year", False)]
WARNING_DAYS = {"month": 7, "quarter": 15, "year": 30}
# Duty-list titles naming a meeting (decision 0032), the more specific first.
NAMED = [("民主生活会", "leadership_life"), ("组织生活会", "life_meeting"), ("民主评议", "democratic_evaluation"), ("党员大会", "general_meeting"),
         ("支委会", "committee_meeting"), ("支部委员会", "committee_meeting"), ("党小组会", "group_meeting"), ("主题党日", "theme_day"),
         ("谈心谈话", "heart_talk"), ("中心组学习", "study_group"), ("第一议题", "first_topic"), ("党课", "party_lecture")]
CADENCE = {"month": "month", "quarter": "quarter", "year": "year"}


def state_of(n, minimum, end, today, length):
    if n >= minimum:
        return 0
    if today > end:
        return 3
    if (end - today).days < WARNING_DAYS[length]:
        return 2
    return 1


def period(length, day):
    if length == "month":
        start = day.replace(day=1)
        months = 1
    elif length == "quarter":
        start = datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        months = 3
    else:
        start = datetime.date(day.year, 1, 1)
        months = 12
    m = start.month - 1 + months
    end = datetime.date(start.year + m // 12, m % 12 + 1, 1) - datetime.timedelta(days=1)
    return start, end


def roll_up(db_path, root_id, today):
    """Counts of organisations by worst state: {'overdue': n, 'due_soon': n, 'fine': n}."""
    db = sqlite3.connect(db_path)
    root_path = db.execute("SELECT path FROM organisations WHERE id = ?", (root_id,)).fetchone()[0]
    orgs = db.execute("SELECT id, org_type FROM organisations WHERE path LIKE ? AND dissolved_at IS NULL", (root_path + "%",)).fetchall()
    full = dict(db.execute("""SELECT organisation_id, COUNT(*) FROM members WHERE deleted_at IS NULL AND party_status = 'full'
                              AND membership_state IN ('normal', 'lost_contact') GROUP BY organisation_id"""))
    since = {}
    for org, d in db.execute("SELECT organisation_id, MIN(effective_date) FROM organisation_events WHERE kind = 'established' GROUP BY organisation_id"):
        day = datetime.date.fromisoformat(d)
        if day.year > 1:
            since[org] = day
    held = defaultdict(list)
    first = datetime.date(today.year - 1, 1, 1).isoformat()
    for org, kind, d in db.execute("SELECT organisation_id, kind, held_on FROM meetings WHERE deleted_at IS NULL AND held_on >= ? AND held_on <= ?",
                                   (first, today.isoformat())):
        held[(org, kind)].append(datetime.date.fromisoformat(d))
    last_month_start = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)

    def counts_now(start, end):
        return start <= today and (end >= today or end >= last_month_start)

    # Duty lists of this year (and of last year while last month was in it), their items and the ledger entries.
    years = sorted({today.year, last_month_start.year})
    lists = defaultdict(list)
    for org, year, template in db.execute(
            f"SELECT organisation_id, year, template_id FROM duty_lists WHERE year IN ({','.join('?' * len(years))})", years):
        lists[org].append((year, template))
    items = defaultdict(list)
    for template, item, title, cadence, minimum in db.execute("SELECT template_id, id, title, cadence, minimum FROM duty_template_items"):
        items[template].append((item, title, cadence, minimum))
    entries = defaultdict(list)
    for org, item, d in db.execute("SELECT organisation_id, subject_id, entry_date FROM ledger_entries WHERE subject_type = 'duty_item'"):
        entries[(org, item)].append(datetime.date.fromisoformat(d))
    counts = {"overdue": 0, "due_soon": 0, "fine": 0}
    for org, kind_of_org in orgs:
        if kind_of_org in BRANCHES:
            reqs = [r for r in REQUIREMENTS if not r[3] or full.get(org, 0) >= 7]
        elif kind_of_org == "party_group":
            reqs = [("LIFE-04", "group_meeting", "month", False)]
        elif kind_of_org == "party_committee":
            reqs = [("LIFE-11", "leadership_life", "year", False)]
        else:
            reqs = []
        states = []
        for _, kind, length, _ in reqs:
            current = period(length, today)
            previous = period(length, current[0] - datetime.timedelta(days=1))
            for start, end in (previous, current):
                if not counts_now(start, end) or (org in since and start < since[org]):
                    continue
                n = sum(1 for d in held[(org, kind)] if start <= d <= end and d <= today)
                states.append(state_of(n, 1, end, today, length))
        for year, template in lists[org]:
            for item, title, cadence, minimum in items[template]:
                fed = next((k for name, k in NAMED if name in title), None)
                dates = held[(org, fed)] if fed else entries[(org, item)]
                start, end = period(cadence, datetime.date(year, 1, 1))
                while start.year == year and start <= today:
                    if counts_now(start, end) and not (org in since and start < since[org]):
                        n = sum(1 for d in dates if start <= d <= end and d <= today)
                        states.append(state_of(n, minimum, end, today, cadence))
                    start, end = period(cadence, end + datetime.timedelta(days=1))
        if not states:
            continue
        worst = max(states)
        counts["overdue" if worst == 3 else "due_soon" if worst == 2 else "fine"] += 1
    return counts
