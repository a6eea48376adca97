"""The figures of a report: per IRO, team or month, the flags by kind, unaddressed domains, repeated actions and drift.

Each function returns plain rows (lists of dicts) that the page, the charts and the CSV files all use,
so the three always show the same numbers.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from recqual.qa.data import GRADES, GROUPS, Results

SCORE_BINS = [(lo, lo + 9) for lo in range(0, 90, 10)] + [(90, 100)]


def _rate(part: float, whole: float) -> float | None:
    return round(part / whole, 3) if whole else None


def overview(results: Results) -> dict[str, Any]:
    df = results.records
    scores = df["score"]
    return {
        "records": len(df),
        "failed": len(results.failed),
        "children": int(df["child"].nunique()),
        "mean": round(float(scores.mean()), 1) if len(df) else None,
        "median": float(scores.median()) if len(df) else None,
        "grades": {g: int((df["grade"] == g).sum()) for g in GRADES},
        "recommendations": int(df["n_recommendations"].sum()),
        "repeated": int(df["n_repeated"].sum()),
        "repeated_rate": _rate(df["n_repeated"].sum(), df["n_recommendations"].sum()),
        "drift": int(df["n_drift"].sum()),
        "unaddressed": int(df["n_unaddressed"].sum()),
    }


def by_group(results: Results, by: str, top_flags: int = 3) -> list[dict[str, Any]]:
    """One row per IRO, team or month: records, mean and median score, grades, repeated-action rate, drift and the commonest flags."""
    column = GROUPS[by]
    df, flags = results.records, results.flags
    rows = []
    for group, members in df.groupby(column, sort=True):
        counts = flags[flags[column] == group]["code"].value_counts()
        counts = counts.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
        rows.append(
            {
                "group": str(group),
                "records": len(members),
                "mean": round(float(members["score"].mean()), 1),
                "median": float(members["score"].median()),
                "lowest": int(members["score"].min()),
                **{g: int((members["grade"] == g).sum()) for g in GRADES},
                "recommendations": int(members["n_recommendations"].sum()),
                "repeated": int(members["n_repeated"].sum()),
                "repeated_rate": _rate(members["n_repeated"].sum(), members["n_recommendations"].sum()),
                "drift": int(members["n_drift"].sum()),
                "unaddressed": int(members["n_unaddressed"].sum()),
                "top_flags": ", ".join(f"{code} ({n})" for code, n in counts.head(top_flags).items()),
            }
        )
    return rows


def flags_by_kind(results: Results) -> list[dict[str, Any]]:
    """Each flag code: how often it was raised and in how many records."""
    flags = results.flags
    if flags.empty:
        return []
    table = flags.groupby("code").agg(flags=("record_id", "size"), records=("record_id", "nunique")).reset_index()
    table = table.sort_values(["flags", "code"], ascending=[False, True])
    return [{"code": r.code, "flags": int(r.flags), "records": int(r.records), "share": _rate(r.records, len(results.records))} for r in table.itertuples()]


def unaddressed_domains(results: Results) -> list[dict[str, Any]]:
    """The domains of concerns raised in the discussion that no recommendation addressed, commonest first."""
    flags = results.flags
    domains = flags[(flags["code"] == "unaddressed_issue") & flags["domain"].notna()]
    counts = domains.groupby("domain").agg(concerns=("record_id", "size"), records=("record_id", "nunique")).reset_index()
    counts = counts.sort_values(["concerns", "domain"], ascending=[False, True])
    return [{"domain": r.domain.replace("_", " "), "concerns": int(r.concerns), "records": int(r.records)} for r in counts.itertuples()]


def score_distribution(results: Results) -> list[dict[str, Any]]:
    scores = results.records["score"]
    return [{"band": f"{lo}–{hi}", "records": int(scores.between(lo, hi).sum())} for lo, hi in SCORE_BINS]


def worst(results: Results, n: int) -> list[dict[str, Any]]:
    """The `n` lowest-scoring records (ties broken by file), each with its commonest flags."""
    df = results.records.sort_values(["score", "source"]).head(n)
    return [_record_row(r, results.flags) for r in df.to_dict("records")]


def drifting(results: Results) -> list[dict[str, Any]]:
    """Records with actions carried across three or more reviews, the longest-carried first."""
    df = results.records[results.records["n_drift"] > 0].sort_values(["max_carried", "n_drift", "source"], ascending=[False, False, True])
    return [_record_row(r, results.flags) for r in df.to_dict("records")]


def _record_row(record: dict[str, Any], flags: pd.DataFrame) -> dict[str, Any]:
    codes = flags[flags["record_id"] == record["id"]]["code"].value_counts()
    codes = codes.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
    return {**record, "top_flags": ", ".join(f"{code} ({n})" for code, n in codes.head(3).items())}
