"""A reproducible random sample of scored records for a manager to audit: stratified when asked, optionally weighted towards low scores."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from recqual.ingest import InputError
from recqual.qa.data import GROUP_LABELS, GROUPS, SUMMARY_COLUMNS, load
from recqual.qa.pages import record_filename, record_name, render, write_record_pages


def allocate(n: int, sizes: dict[str, int]) -> dict[str, int]:
    """How many of `n` to draw from each stratum: one each (the largest strata first when n is smaller than their number),
    the rest in proportion to size (D'Hondt), never more than a stratum holds."""
    alloc = dict.fromkeys(sizes, 0)
    n = min(n, sum(sizes.values()))
    for stratum in sorted(sizes, key=lambda s: (-sizes[s], s))[:n]:
        alloc[stratum] = 1
    for _ in range(n - sum(alloc.values())):
        open_ = [s for s in sorted(sizes) if alloc[s] < sizes[s]]
        best = max(open_, key=lambda s: sizes[s] / (alloc[s] + 1))
        alloc[best] += 1
    return alloc


def draw(records: pd.DataFrame, n: int, by: str | None, seed: int, weight_low: bool) -> pd.DataFrame:
    """`n` records drawn without replacement; the same records, seed and options always give the same sample.

    With `weight_low`, a record's chance is proportional to 101 minus its score, so a record scoring
    20 is four times as likely to be drawn as one scoring 80.
    """
    population = records.sort_values("source").reset_index(drop=True)
    population["stratum"] = population[GROUPS[by]] if by else "all records"
    rng = np.random.RandomState(seed)
    sizes = population.groupby("stratum").size().to_dict()
    parts = []
    for stratum, k in sorted(allocate(n, sizes).items()):
        if k == 0:
            continue
        members = population[population["stratum"] == stratum]
        weights = 101 - members["score"] if weight_low else None
        parts.append(members.sample(n=k, weights=weights, random_state=rng))
    chosen = pd.concat(parts) if parts else population.head(0)
    return chosen.sort_values(["stratum", "score", "source"]).reset_index(drop=True)


def write(engine: Engine, out: Path, n: int, by: str | None, seed: int, weight_low: bool, database: str, command: str) -> tuple[Path, int, int]:
    """Draw the sample and write sample.csv, index.html and one page per record into `out`: (index, sampled, population)."""
    records = load(engine).records
    if records.empty:
        raise InputError(database, "no scored records to sample (run `recqual batch` first)")
    chosen = draw(records, n, by, seed, weight_low)
    chosen["name"] = [record_name(s) for s in chosen["source"]]
    chosen["report"] = [f"records/{record_filename(i)}" for i in chosen["id"]]
    out.mkdir(parents=True, exist_ok=True)
    write_record_pages(engine, [int(i) for i in chosen["id"]], out / "records", back="../index.html")
    columns = [*SUMMARY_COLUMNS, "stratum", "report"]
    chosen[columns].rename(columns={"id": "record_id"}).to_csv(out / "sample.csv", index=False)
    strata = []
    if by:
        sampled = chosen["stratum"].value_counts()
        strata = [{"group": g, "records": int(k), "sampled": int(sampled.get(g, 0))} for g, k in records.groupby(GROUPS[by]).size().items()]
    html = render(
        "sample.html",
        sample=chosen.to_dict("records"),
        population=len(records),
        database=database,
        drawn_at=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        by=by,
        by_label=GROUP_LABELS.get(by or "", ""),
        weight_low=weight_low,
        seed=seed,
        command=command,
        strata=strata,
    )
    index = out / "index.html"
    index.write_text(html, encoding="utf-8")
    return index, len(chosen), len(records)
