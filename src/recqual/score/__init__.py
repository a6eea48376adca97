"""The quality score: sub-scores from a rubric file, the overall score, the grade, and the reasons."""

from __future__ import annotations

import functools
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from recqual.report import Flag, Recommendation

DEFAULT_RUBRIC = Path(__file__).with_name("rubric.yaml")


@functools.cache
def load_rubric(path: Path = DEFAULT_RUBRIC) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def score(
    flags: list[Flag], recommendations: list[Recommendation], rubric: dict[str, Any]
) -> tuple[int, str, dict[str, int], list[dict[str, Any]]]:
    """(score, grade, sub-scores, reasons): every point lost is a reason naming its criterion and flag."""
    counts = Counter(f.code for f in flags)
    subscores: dict[str, int] = {}
    reasons: list[dict[str, Any]] = []
    for name, criterion in rubric["subscores"].items():
        lost = 0.0
        per_rec = criterion.get("per_recommendation", {})
        if per_rec and recommendations:
            for code, points in per_rec.items():
                n = sum(1 for r in recommendations if code in r.flags)
                if n:
                    share = points * n / len(recommendations)
                    lost += share
                    reasons.append({"subscore": name, "flag": code, "count": n, "points": round(share, 1)})
        for code, points in {**criterion.get("record", {}), **criterion.get("per_flag", {})}.items():
            n = counts.get(code, 0)
            if n:
                reasons.append({"subscore": name, "flag": code, "count": n, "points": points * n})
                lost += points * n
        subscores[name] = max(0, round(100 - lost))
    total = sum(rubric["subscores"][n]["weight"] for n in subscores)
    overall = round(sum(subscores[n] * rubric["subscores"][n]["weight"] for n in subscores) / total)
    grade = next(g for g, floor in sorted(rubric["grades"].items(), key=lambda kv: -kv[1]) if overall >= floor)
    return overall, grade, subscores, reasons
