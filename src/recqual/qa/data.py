"""The stored results as tables: one row per scored record, one per flag, and the files that failed."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine, select

from recqual.batch.store import record_flags, records

GROUPS = {"iro": "iro", "team": "team", "month": "review_month"}  # --by choice -> column
GROUP_LABELS = {"iro": "IRO", "team": "team", "month": "month"}
UNKNOWN = "not known"
GRADES = ("outstanding", "good", "requires improvement", "inadequate")

SUMMARY_COLUMNS = (
    "id",
    "source",
    "child",
    "series_position",
    "review_number",
    "review_date",
    "review_month",
    "iro",
    "team",
    "score",
    "grade",
    "n_recommendations",
    "n_flags",
    "n_repeated",
    "n_drift",
    "max_carried",
    "n_unaddressed",
    "version",
)


@dataclass
class Results:
    records: pd.DataFrame  # scored records, summary columns, ordered by source
    flags: pd.DataFrame  # record_id, code, domain, with the record's iro, team, review_month
    failed: pd.DataFrame  # source, error


def load(engine: Engine) -> Results:
    """Everything a sample or report needs, read once (never the records' text)."""
    cols = [records.c[name] for name in SUMMARY_COLUMNS]
    with engine.connect() as conn:
        scored = pd.DataFrame(conn.execute(select(*cols).where(records.c.error.is_(None)).order_by(records.c.source)).all(), columns=list(SUMMARY_COLUMNS))
        flags = pd.DataFrame(
            conn.execute(
                select(record_flags.c.record_id, record_flags.c.code, record_flags.c.domain, records.c.iro, records.c.team, records.c.review_month)
                .join(records, records.c.id == record_flags.c.record_id)
                .where(records.c.error.is_(None))
            ).all(),
            columns=["record_id", "code", "domain", "iro", "team", "review_month"],
        )
        failed = pd.DataFrame(
            conn.execute(select(records.c.source, records.c.error).where(records.c.error.is_not(None)).order_by(records.c.source)).all(),
            columns=["source", "error"],
        )
    for frame in (scored, flags):
        for column in GROUPS.values():
            frame[column] = frame[column].fillna(UNKNOWN)
    return Results(scored, flags, failed)


def full_records(engine: Engine, ids: list[int]) -> list[dict]:
    """The stored records with these ids in full, in that order, for their pages (the text only if the batch stored it)."""
    with engine.connect() as conn:
        rows = {row["id"]: dict(row) for row in conn.execute(select(records).where(records.c.id.in_(ids))).mappings()}
    return [rows[i] for i in ids if i in rows]
