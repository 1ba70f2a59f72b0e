"""Independent recomputation of a subtree's organisational-life roll-up (rules LIFE-01…09 with the national defaults
and the default warning days) straight from the SQLite file, to check the server's figures at scale. Written from
rules.md, not from the Swift code."""
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
    for org, kind, d in db.execute("SELECT organisation_id, kind, held_on FROM meetings WHERE held_on >= ? AND held_on <= ?", (first, today.isoformat())):
        held[(org, kind)].append(datetime.date.fromisoformat(d))
    counts = {"overdue": 0, "due_soon": 0, "fine": 0}
    for org, kind_of_org in orgs:
        if kind_of_org in BRANCHES:
            reqs = [r for r in REQUIREMENTS if not r[3] or full.get(org, 0) >= 7]
        elif kind_of_org == "party_group":
            reqs = [("LIFE-04", "group_meeting", "month", False)]
        else:
            continue
        worst = None
        for _, kind, length, _ in reqs:
            current = period(length, today)
            previous = period(length, current[0] - datetime.timedelta(days=1))
            for start, end in (previous, current):
                if start > today or (org in since and start < since[org]):
                    continue
                n = sum(1 for d in held[(org, kind)] if start <= d <= end and d <= today)
                if n >= 1:
                    state = 0
                elif today > end:
                    state = 3
                elif (end - today).days < WARNING_DAYS[length]:
                    state = 2
                else:
                    state = 1
                worst = state if worst is None else max(worst, state)
        if worst is None:
            continue
        counts["overdue" if worst == 3 else "due_soon" if worst == 2 else "fine"] += 1
    return counts
