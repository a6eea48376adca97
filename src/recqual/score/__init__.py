"""The quality score: sub-scores from a rubric, the overall score, the grade, and a reason for every point lost.

How the numbers are made (the rubric file says the same for a manager):
- every sub-score starts at 100; each of its criteria can take off at most its `points`;
- a flag on recommendations costs its points times the share of recommendations that have it
  (missing_owner: 30 and one recommendation in three with no owner: 10 points);
- a flag on the record or on a concern costs its points each time it is raised;
- when a criterion's flags cost more than its points, each is scaled down in proportion, so
  that the reasons add up to what was taken off;
- the overall score is the weighted mean of the sub-scores, and each reason also says how many
  points of the overall score it cost.
"""

from __future__ import annotations

import functools
import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from recqual import vocab
from recqual.report import Flag, Recommendation
from recqual.score.rubric import DEFAULT_RUBRIC, Rubric, default, validate

__all__ = ["DEFAULT_RUBRIC", "Scored", "load_rubric", "score"]


@dataclass
class Scored:
    score: int
    grade: str
    subscores: dict[str, int]
    reasons: list[dict[str, Any]] = field(default_factory=list)
    breakdown: list[dict[str, Any]] = field(default_factory=list)


def load_rubric() -> dict[str, Any]:
    """The default rubric (rubric.yaml beside this module)."""
    return default()


@functools.cache
def _default_rules() -> Rubric:
    return validate(default(), DEFAULT_RUBRIC)


def _half_up(x: float) -> int:
    return math.floor(x + 0.5 + 1e-9)


def _scope(code: str) -> str:
    return vocab.load("flags")["flags"][code].get("scope", "record")


def score(flags: list[Flag], recommendations: list[Recommendation], rubric: dict[str, Any] | Rubric | None = None) -> Scored:
    """The score of a record with these flags and recommendations; every point lost is a reason naming its criterion, flag and place."""
    rules = _default_rules() if rubric is None else rubric if isinstance(rubric, Rubric) else validate(rubric)
    counts = Counter(f.code for f in flags)
    by_code: dict[str, list[Flag]] = {}
    for f in flags:
        by_code.setdefault(f.code, []).append(f)
    total_weight = rules.total_weight
    subscores: dict[str, int] = {}
    reasons: list[dict[str, Any]] = []
    breakdown: list[dict[str, Any]] = []
    overall = 0.0
    for sub in rules.subscores:
        share_of_overall = sub.weight / total_weight
        remaining = 100.0
        criteria = []
        for criterion in sub.criteria:
            costs = []
            for code, points in criterion.flags.items():
                if _scope(code) == "recommendation":
                    n = sum(1 for r in recommendations if code in r.flags)
                    cost = points * n / len(recommendations) if recommendations else 0.0
                else:
                    n = counts.get(code, 0)
                    cost = points * n
                if n:
                    costs.append((code, n, cost))
            spent = sum(c for _, _, c in costs)
            scale = criterion.points / spent if spent > criterion.points else 1.0
            lost = min(spent, criterion.points)
            remaining -= lost
            for code, n, cost in costs:
                found = by_code.get(code, [])
                reasons.append(
                    {
                        "subscore": sub.name,
                        "criterion": criterion.name,
                        "flag": code,
                        "count": n,
                        "points": round(cost * scale, 1),
                        "overall_points": round(cost * scale * share_of_overall, 1),
                        "recommendations": sorted(
                            {f.recommendation for f in found if f.recommendation}, key=lambda rid: int(rid[1:]) if rid[1:].isdigit() else 0
                        ),
                        "spans": [list(f.span) for f in found if f.span is not None],
                    }
                )
            criteria.append({"criterion": criterion.name, "points": criterion.points, "lost": round(lost, 1), "wording": criterion.wording})
        remaining = max(0.0, remaining)
        subscores[sub.name] = _half_up(remaining)
        overall += remaining * share_of_overall
        breakdown.append(
            {"subscore": sub.name, "score": subscores[sub.name], "weight": round(share_of_overall, 3), "wording": sub.wording, "criteria": criteria}
        )
    total = _half_up(overall)
    return Scored(total, rules.grade(total), subscores, reasons, breakdown)
