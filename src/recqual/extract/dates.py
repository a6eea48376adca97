"""UK dates in the language of review records, resolved day-first against the review date."""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import functools
import re
import signal
import threading
from collections.abc import Iterator
from typing import Any

MONTHS = {m.lower(): i for i in range(1, 13) for m in (calendar.month_name[i], calendar.month_abbr[i], calendar.month_name[i][:4])}
MONTHS["sept"] = 9
MONTH_RE = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
YEAR_RE = r"(?:\d{4}|'\d{2}|\d{2}(?![\d/.]))"
ORD = r"(?:st|nd|rd|th)?"

# Each pattern names its parts; `resolve_match` turns them into a date.
NUMERIC = re.compile(r"(?<![\d/.])(?P<d>[0-3]?\d)[/.\-](?P<m>[01]?\d)(?:[/.\-](?P<y>\d{4}|\d{2}))?(?![\d/])")
DAY_MONTH = re.compile(
    rf"(?<![\w])(?P<d>[0-3]?\d){ORD}(?:\s+of)?[\s-]+(?P<mon>{MONTH_RE})(?:,?[\s-]+(?P<y>{YEAR_RE}))?(?![\w])",
    re.IGNORECASE,
)
MONTH_DAY = re.compile(rf"(?<![\w])(?P<mon>{MONTH_RE})\s+(?P<d>[0-3]?\d){ORD}(?:,?\s+(?P<y>\d{{4}}))?(?![\w])", re.IGNORECASE)
MONTH_ONLY = re.compile(rf"(?<![\w])(?P<mon>{MONTH_RE})(?:,?\s+(?P<y>\d{{4}}|'\d{{2}}))?(?![\w])", re.IGNORECASE)

# "may" is also a verb; a month name alone counts only with a year or after these words.
MONTH_CONTEXT = re.compile(r"(?:by|before|in|end of|during|until|from|early|mid|late|of|the)\s*-?\s*$", re.IGNORECASE)


def _year(text: str | None) -> int | None:
    if not text:
        return None
    text = text.lstrip("'")
    year = int(text)
    return year + 2000 if year < 100 else year


def _next_on_or_after(month: int, day: int, anchor: dt.date | None) -> dt.date | None:
    if anchor is None:
        return None
    for year in (anchor.year, anchor.year + 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            continue
        if candidate >= anchor:
            return candidate
    return None


def last_day(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _make(year: int | None, month: int, day: int, anchor: dt.date | None) -> dt.date | None:
    try:
        if year is None:
            return _next_on_or_after(month, day, anchor)
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str, anchor: dt.date | None) -> list[tuple[int, int, dt.date | None, bool]]:
    """Every date in `text`: (start, end, resolved date or None, is a month alone).

    Overlapping matches keep the longest. A month alone resolves to its last day.
    """
    found: list[tuple[int, int, dt.date | None, bool]] = []
    for m in NUMERIC.finditer(text):
        d, mo = int(m["d"]), int(m["m"])
        if 1 <= d <= 31 and 1 <= mo <= 12 and (m["y"] or m["d"] and "/" in m.group()):
            found.append((m.start(), m.end(), _make(_year(m["y"]), mo, d, anchor), False))
    for pattern in (DAY_MONTH, MONTH_DAY):
        for m in pattern.finditer(text):
            mo = MONTHS.get(m["mon"].lower().rstrip(".")[:4]) or MONTHS.get(m["mon"].lower().rstrip(".")[:3])
            if mo and 1 <= int(m["d"]) <= 31:
                found.append((m.start(), m.end(), _make(_year(m["y"]), mo, int(m["d"]), anchor), False))
    for m in MONTH_ONLY.finditer(text):
        word = m["mon"].lower().rstrip(".")
        if word in ("may", "mar", "march", "jan", "sept") and not m["y"] and not MONTH_CONTEXT.search(text[: m.start()]):
            continue
        mo = MONTHS.get(word[:4]) or MONTHS.get(word[:3])
        if not mo:
            continue
        year = _year(m["y"])
        if year is None and anchor is not None:
            year = anchor.year if mo >= anchor.month else anchor.year + 1
        found.append((m.start(), m.end(), last_day(year, mo) if year else None, True))
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    kept: list[tuple[int, int, dt.date | None, bool]] = []
    for f in found:
        if kept and f[0] < kept[-1][1]:
            continue
        kept.append(f)
    return kept


# dateparser's slow paths are language detection, a fresh parser per call and long strings: it gets
# English only, one parser per anchor date (built once), spans of at most 40 characters, and a time limit.
DATEPARSER_MAX_CHARS = 40
DATEPARSER_SECONDS = 0.5


class _Overrun(Exception):
    pass


@functools.cache
def _dateparser(anchor: dt.date | None) -> Any:
    from dateparser.date import DateDataParser  # imported late: it costs start-up time most runs never need

    settings: dict[str, object] = {"DATE_ORDER": "DMY", "PREFER_DAY_OF_MONTH": "last", "PREFER_DATES_FROM": "future"}
    if anchor is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(anchor, dt.time())
    return DateDataParser(languages=["en"], settings=settings)


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise _Overrun after `seconds` of wall time. A real-time alarm can only interrupt the main thread,
    and must not disturb a timer someone else has armed, so elsewhere the span's length cap is the bound."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread() and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    if not usable:
        yield
        return

    def overrun(signum: int, frame: object) -> None:
        raise _Overrun

    previous = signal.signal(signal.SIGALRM, overrun)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def parse_with_dateparser(span: str, anchor: dt.date | None) -> dt.date | None:
    """Fallback for a short candidate span the patterns did not read (never a whole text); None if it overruns its time."""
    if len(span) > DATEPARSER_MAX_CHARS:
        return None
    parser = _dateparser(anchor)
    try:
        with _time_limit(DATEPARSER_SECONDS):
            parsed = parser.get_date_data(span).date_obj
    except _Overrun:
        return None
    return parsed.date() if parsed else None


@functools.cache
def _bank_holidays(year: int) -> frozenset[dt.date]:
    import holidays

    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def add_working_days(start: dt.date, days: int) -> dt.date:
    """`start` plus `days` working days (weekdays that are not English bank holidays)."""
    current = start
    while days > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5 and current not in _bank_holidays(current.year):
            days -= 1
    return current


def add_months(start: dt.date, months: int) -> dt.date:
    month0 = start.month - 1 + months
    year, month = start.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def parse_iso(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
