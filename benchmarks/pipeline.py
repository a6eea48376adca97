"""Where analyse() spends its time: words/s against spaCy's blank English tokenizer, time by stage, dateparser's share.

Nothing in recqual is changed to measure it: while `stage_clock()` is open the stage functions that
analyse() calls are replaced by timed wrappers (and put back after), each stage charged only its own
time (a parse called while extracting an owner is nlp, not extract). Whatever analyse() does between
the stage calls is "rest". Ingest is `read_record` on the record's file, timed around analyse().
dateparser is counted where every parse goes through, `DateDataParser.get_date_data`.
"""

from __future__ import annotations

import contextlib
import functools
import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from dateparser.date import DateDataParser

from recqual import analyse as analyse_module
from recqual import score as scoring
from recqual.checks import bundled
from recqual.checks import recommendation as rec_checks
from recqual.checks import record as record_checks
from recqual.follow import repeats
from recqual.ingest import read_record
from recqual.nlp import issue_finder, spans, syntax
from recqual.report import Report
from recqual.segment import header

STAGES = ("ingest", "segment", "extract", "nlp", "follow", "checks", "score", "rest")

# (object, attribute, stage): every call analyse() makes into a stage, by the name it looks it up under.
TIMED: list[tuple[Any, str, str]] = [
    (analyse_module, "split_lines", "segment"),
    (analyse_module, "split_sections", "segment"),
    (header, "read_header", "segment"),
    (header, "people", "segment"),
    (analyse_module, "find_items", "segment"),
    (analyse_module, "_recommendation", "extract"),
    (syntax, "parse_all", "nlp"),
    (syntax, "owner_from_parse", "nlp"),
    (spans, "find", "nlp"),
    (bundled, "actions", "nlp"),
    (syntax, "noun_uses", "nlp"),
    (issue_finder, "find", "nlp"),
    (repeats, "match_previous", "follow"),
    (rec_checks, "check", "checks"),
    (record_checks, "check", "checks"),
    (scoring, "score", "score"),
    (scoring, "load_rubric", "score"),
    (DateDataParser, "get_date_data", "dateparser"),
]


class StageClock:
    """Seconds and calls per stage; time inside a nested stage is charged to it alone."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._open: list[list[Any]] = []  # [stage, since]

    def timed(self, stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            now = time.perf_counter()
            if self._open:
                self.seconds[self._open[-1][0]] += now - self._open[-1][1]
            self._open.append([stage, now])
            try:
                return function(*args, **kwargs)
            finally:
                end = time.perf_counter()
                done, since = self._open.pop()
                self.seconds[done] += end - since
                self.calls[done] += 1
                if self._open:
                    self._open[-1][1] = end

        return wrapper


@contextlib.contextmanager
def stage_clock() -> Iterator[StageClock]:
    clock = StageClock()
    originals = [(owner, name, owner.__dict__[name]) for owner, name, _ in TIMED]
    try:
        for owner, name, stage in TIMED:
            setattr(owner, name, clock.timed(stage, getattr(owner, name)))
        yield clock
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)


def series(paths: list[Path]) -> list[list[Path]]:
    """The records grouped by child (folder), each child's reviews in order, so that each is compared with the last."""
    children: dict[Path, list[Path]] = defaultdict(list)
    for path in sorted(paths):
        children[path.parent].append(path)
    return list(children.values())


def analyse_all(paths: list[Path], clock: StageClock) -> int:
    """Read and analyse every record as the batch does (each child's last report as `previous`); the number of words."""
    words = 0
    analyse = clock.timed("rest", analyse_module.analyse)
    read = clock.timed("ingest", read_record)
    for reviews in series(paths):
        previous: Report | None = None
        for path in reviews:
            text = read(path)
            words += len(text.split())
            previous = analyse(text, source=path.name, previous=previous)
    return words


def tokenizer_seconds(texts: list[str]) -> float:
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    started = time.perf_counter()
    for text in texts:
        tokenizer(text)
    return time.perf_counter() - started


def measure(paths: list[Path], repeats: int) -> dict:
    """The ceiling, the pipeline by stage and dateparser, medians of `repeats` runs; the ceiling and the pipeline take turns."""
    texts = [read_record(p) for p in paths]
    words = sum(len(t.split()) for t in texts)
    analyse_all(paths[:1], StageClock())  # models, vocabulary and spaCy loaded once, as a worker does at start-up
    tokenizer_seconds(texts[:1])
    ceilings, runs = [], []
    for _ in range(repeats):
        ceilings.append(tokenizer_seconds(texts))
        with stage_clock() as clock:
            started = time.perf_counter()
            analyse_all(paths, clock)
            wall = time.perf_counter() - started
        runs.append((wall, dict(clock.seconds), dict(clock.calls)))
    ceiling = words / statistics.median(ceilings)
    wall = statistics.median(r[0] for r in runs)
    stages = {stage: statistics.median(r[1].get(stage, 0.0) for r in runs) for stage in STAGES}
    dateparser_seconds = statistics.median(r[1].get("dateparser", 0.0) for r in runs)
    dateparser_calls = runs[0][2].get("dateparser", 0)
    return {
        "records": len(paths),
        "words": words,
        "ceiling_tokenizer_words_per_s": ceiling,
        "pipeline": {
            "seconds": wall,
            "words_per_s": words / wall,
            "records_per_s": len(paths) / wall,
            "ratio_to_ceiling": words / wall / ceiling,
        },
        "stages": {
            stage: {"ms_per_record": 1000 * seconds / len(paths), "share": seconds / sum(stages.values()) if sum(stages.values()) else 0.0}
            for stage, seconds in stages.items()
        },
        "dateparser": {
            "calls": dateparser_calls,
            "calls_per_record": dateparser_calls / len(paths),
            "ms_per_record": 1000 * dateparser_seconds / len(paths),
            "share_of_pipeline": dateparser_seconds / wall,
        },
    }
