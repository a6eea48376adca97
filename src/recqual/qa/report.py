"""`recqual report`: a self-contained HTML report over a results database, with its charts, CSV files and the worst records' pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from recqual.ingest import InputError
from recqual.qa import charts, pages, summary
from recqual.qa.data import GRADES, GROUP_LABELS, UNKNOWN, Results, load


def _group_section(results: Results, by: str) -> dict[str, Any]:
    rows = summary.by_group(results, by)
    labels = [r["group"] for r in rows]
    time_order = by == "month"  # months read left to right; people and teams top to bottom
    rated = [r for r in rows if r["repeated_rate"] is not None]
    return {
        "by": by,
        "label": GROUP_LABELS[by],
        "rows": rows,
        "chart_mean": charts.bars(
            f"{by}-mean",
            f"Mean score by {GROUP_LABELS[by]}",
            labels,
            [r["mean"] for r in rows],
            axis="mean score",
            horizontal=not time_order,
            value_format="{:.1f}",
        ),
        "chart_repeated": charts.bars(
            f"{by}-repeated",
            f"Repeated actions by {GROUP_LABELS[by]} (% of recommendations)",
            [r["group"] for r in rated],
            [round(100 * r["repeated_rate"], 1) for r in rated],
            axis="% of recommendations",
            horizontal=not time_order,
            value_format="{:.1f}%",
        ),
    }


@dataclass
class Report:
    html: str
    tables: dict[str, list[dict[str, Any]]]  # CSV file name -> rows
    charts: dict[str, str]  # chart name -> SVG
    linked: list[int]  # the records whose pages the report links to


def build(engine: Engine, groupings: list[str], worst_n: int, database: str) -> Report:
    """The report page over everything stored in `engine`, with the tables, charts and record links behind it."""
    results = load(engine)
    if results.records.empty and results.failed.empty:
        raise InputError(database, "no records stored (run `recqual batch` first)")
    overview = summary.overview(results)
    flags = summary.flags_by_kind(results)
    domains = summary.unaddressed_domains(results)
    distribution = summary.score_distribution(results)
    worst = summary.worst(results, worst_n)
    drifting = summary.drifting(results)
    linked = [r["id"] for r in worst] + [r["id"] for r in drifting]
    for r in worst + drifting:
        r["name"], r["link"] = pages.record_name(r["source"]), f"records/{pages.record_filename(r['id'])}"
    groups = [_group_section(results, by) for by in groupings if by != "team" or (results.records["team"] != UNKNOWN).any()]
    chart_svgs = {
        "scores": charts.bars(
            "scores", "Records by score", [d["band"] for d in distribution], [d["records"] for d in distribution], axis="records", horizontal=False
        ),
        "grades": charts.bars(
            "grades", "Records by grade", list(GRADES), list(overview["grades"].values()), axis="records", colours=list(charts.GRADE_COLOURS.values())
        ),
        "flags": charts.bars("flags", "Flags by kind", [f["code"] for f in flags], [f["flags"] for f in flags], axis="times raised"),
        "domains": charts.bars(
            "domains", "Concerns not addressed, by domain", [d["domain"] for d in domains], [d["concerns"] for d in domains], axis="concerns"
        ),
    }
    tables = {
        "records.csv": results.records.to_dict("records"),
        "flags.csv": flags,
        "unaddressed_domains.csv": domains,
        "score_distribution.csv": distribution,
        **{f"by_{g['by']}.csv": g["rows"] for g in groups},
        "failed.csv": results.failed.to_dict("records"),
    }
    html = pages.render(
        "report.html",
        o=overview,
        database=database,
        generated_at=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        versions=sorted(results.records["version"].unique()) or ["none"],
        charts=chart_svgs,
        flags=flags,
        groups=groups,
        grades=GRADES,
        domains=domains,
        drifting=drifting,
        worst=worst,
        failed=results.failed.to_dict("records"),
        csv_files=list(tables),
    )
    for g in groups:
        chart_svgs[f"{g['by']}-mean"], chart_svgs[f"{g['by']}-repeated"] = g["chart_mean"], g["chart_repeated"]
    return Report(html, tables, chart_svgs, list(dict.fromkeys(linked)))


def write(engine: Engine, out: Path, groupings: list[str], worst_n: int, database: str) -> Path:
    """Write index.html, the CSV files, charts/*.svg and records/*.html into `out`; returns the index."""
    report = build(engine, groupings, worst_n, database)
    (out / "charts").mkdir(parents=True, exist_ok=True)
    for name, rows in report.tables.items():
        pd.DataFrame(rows).to_csv(out / name, index=False)
    for name, svg in report.charts.items():
        (out / "charts" / f"{name}.svg").write_text(svg, encoding="utf-8")
    pages.write_record_pages(engine, report.linked, out / "records", back="../index.html")
    index = out / "index.html"
    index.write_text(report.html, encoding="utf-8")
    return index
