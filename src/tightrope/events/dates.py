"""Resolve the date expressions of a sentence against the article's publication date (our own small resolver).

Handles: today/yesterday/tomorrow, (on|last|next|this) <weekday>, last/next week/month/year, "N days/weeks ago",
"<Month> <day>[, <year>]", "<day> <Month> [<year>]", "in <Month> [<year>]", a bare year, ISO dates.
A past-tense event on "Monday" is the latest Monday before publication; a planned one the next Monday.
Granularity follows the text: "in May 2025" -> "2025-05", "last year" -> "2024".

Every date in and out lies in the window of ingest.limits (EARLIEST_DATE..LATEST_DATE): a publication
date outside it is no base for relative dates, and a resolved date outside it ("1000000 days ago",
"9999-12-31") is no date. Nothing here raises: an impossible date costs the event its date, never
the article its events.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from ..ingest.limits import in_date_window, year_in_window

MONTHS = {m: i + 1 for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
     "december"])}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
DAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}

_MON = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_PATTERNS = [
    ("iso", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    ("mdy", re.compile(_MON + r"\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?\b", re.I)),
    ("dmy", re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MON + r"(?:,?\s+(\d{4}))?\b", re.I)),
    ("my", re.compile(r"\b(?:in|since|during|by|until|early|late|mid-?)\s+" + _MON + r"(?:,?\s+(\d{4}))?\b", re.I)),
    ("rel_day", re.compile(r"\b(today|tonight|yesterday|tomorrow)\b", re.I)),
    ("weekday", re.compile(r"\b(?:(last|next|this|on|on\s+last)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.I)),
    ("rel_unit", re.compile(r"\b(last|next|this|past|coming)\s+(week|month|year)\b", re.I)),
    ("ago", re.compile(r"\b(\d+|a|one|two|three|four|five|six|seven|ten)\s+(day|week|month|year)s?\s+ago\b", re.I)),
    ("year", re.compile(r"\b(?:in|since|during|by)\s+((?:19|20)\d{2})\b", re.I)),
]
_NUM = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ten": 10}


def parse_published(published: str | None) -> date | None:
    if not published:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", published.strip())
    if not m:
        return None
    try:
        value = date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None
    return value if in_date_window(value) else None


def _shift_month(d: date, n: int) -> tuple[int, int]:
    k = d.year * 12 + d.month - 1 + n
    return k // 12, k % 12 + 1


def resolve_date(text: str, published: str | None, future: bool = False) -> str | None:
    """The ISO date (or YYYY-MM / YYYY) that the first date expression in `text` refers to, or None."""
    base = parse_published(published)
    best: tuple[int, str] | None = None
    for kind, rx in _PATTERNS:
        m = rx.search(text)
        if not m:
            continue
        val = _in_window(_resolve(kind, m, base, future))
        if val and (best is None or m.start() < best[0]):
            best = (m.start(), val)
    return best[1] if best else None


def _in_window(value: str | None) -> str | None:
    """The resolved 'YYYY[-MM[-DD]]' if its year lies in the window; None otherwise (or if malformed)."""
    if not value or not re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", value):
        return None
    return value if year_in_window(int(value[:4])) else None


def _resolve(kind: str, m: re.Match, base: date | None, future: bool) -> str | None:
    try:
        if kind == "iso":
            return date(int(m[1]), int(m[2]), int(m[3])).isoformat()
        if kind in ("mdy", "dmy"):
            mon, day = (m[1], m[2]) if kind == "mdy" else (m[2], m[1])
            mon = mon.lower().rstrip(".")
            month = MONTHS.get(mon) or MONTHS[mon[:3]]
            year = int(m[3]) if m[3] else None
            if year is None:
                if base is None:
                    return None
                year = base.year
                cand = date(year, month, int(day))
                if not future and cand > base + timedelta(days=1):
                    year -= 1
                elif future and cand < base - timedelta(days=1):
                    year += 1
            return date(year, month, int(day)).isoformat()
        if kind == "my":
            mon = m[1].lower().rstrip(".")
            month = MONTHS.get(mon) or MONTHS[mon[:3]]
            if m[2]:
                return f"{int(m[2]):04d}-{month:02d}"
            if base is None:
                return None
            year = base.year
            if not future and month > base.month:
                year -= 1
            elif future and month < base.month:
                year += 1
            return f"{year:04d}-{month:02d}"
        if kind == "year":
            return m[1]
        if base is None:
            return None
        if kind == "rel_day":
            w = m[1].lower()
            return (base + timedelta(days={"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[w])).isoformat()
        if kind == "weekday":
            which = (m[1] or "").lower()
            wd = DAYS[m[2].lower()]
            if which == "next" or (future and which != "last"):
                delta = (wd - base.weekday()) % 7 or 7
                return (base + timedelta(days=delta)).isoformat()
            if which == "this":
                return (base + timedelta(days=wd - base.weekday())).isoformat()
            # A past "on Monday" in a paper dated Monday is that same day; "last Monday" is a week back.
            delta = (base.weekday() - wd) % 7
            if which.endswith("last") and delta == 0:
                delta = 7
            return (base - timedelta(days=delta)).isoformat()
        if kind == "rel_unit":
            which, unit = m[1].lower(), m[2].lower()
            sign = -1 if which in ("last", "past") else (1 if which in ("next", "coming") else 0)
            if unit == "week":
                monday = base - timedelta(days=base.weekday()) + timedelta(weeks=sign)
                return monday.isoformat()
            if unit == "month":
                y, mo = _shift_month(base, sign)
                return f"{y:04d}-{mo:02d}"
            return f"{base.year + sign:04d}"
        if kind == "ago":
            n = int(m[1]) if m[1].isdigit() else _NUM.get(m[1].lower(), 1)
            unit = m[2].lower()
            if unit == "day":
                return (base - timedelta(days=n)).isoformat()
            if unit == "week":
                return (base - timedelta(weeks=n)).isoformat()
            if unit == "month":
                y, mo = _shift_month(base, -n)
                return f"{y:04d}-{mo:02d}"
            return f"{base.year - n:04d}"
    except (KeyError, ValueError, OverflowError):  # no such day; or before year 1 / after 9999 ("1000000 days ago")
        return None
    return None
