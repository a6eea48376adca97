"""The dateparser fallback for timescale cells the patterns do not read: English, one parser per anchor, bounded in time."""

from __future__ import annotations

import datetime as dt
import time

from recqual.extract import dates
from recqual.extract.deadline import Anchors, resolve_cell

REVIEW = dt.date(2025, 3, 14)


def test_a_cell_only_dateparser_reads_resolves_against_the_review_date():
    found = resolve_cell("Friday 21", Anchors(REVIEW, None, None))  # a day and a weekday: no pattern reads it
    assert found is not None and found.kind == "date" and found.date == dt.date(2025, 3, 21)


def test_one_parser_serves_every_call_with_the_same_anchor():
    assert dates._dateparser(REVIEW) is dates._dateparser(dt.date(2025, 3, 14))
    assert dates._dateparser(REVIEW) is not dates._dateparser(None)


def test_a_long_span_never_reaches_dateparser(monkeypatch):
    calls = []
    monkeypatch.setattr(dates, "_dateparser", lambda anchor: calls.append(anchor))
    assert dates.parse_with_dateparser("x" * (dates.DATEPARSER_MAX_CHARS + 1), REVIEW) is None
    assert calls == []


def test_a_call_that_overruns_its_time_limit_gives_no_date_instead_of_hanging(monkeypatch):
    class Slow:
        def get_date_data(self, span):
            time.sleep(5)

    monkeypatch.setattr(dates, "_dateparser", lambda anchor: Slow())
    monkeypatch.setattr(dates, "DATEPARSER_SECONDS", 0.05)
    started = time.perf_counter()
    assert dates.parse_with_dateparser("next Friday", REVIEW) is None
    assert time.perf_counter() - started < 1
