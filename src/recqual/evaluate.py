"""Accuracy per task on a split of the annotated corpus, through the same `analyse` path users get.

Matching rules (stated here because every figure depends on them):
- a predicted recommendation matches a gold one when their spans overlap by at least half
  of the shorter span; each is matched at most once, best overlap first;
- per-recommendation figures (owner, deadline, flags, repeats) are computed over matched
  pairs, so an extraction miss counts once, in extraction recall, not again in every task;
- an owner is right when both are absent, or both present with overlapping spans;
- a predicted issue matches a gold issue when their spans overlap and their domains agree;
- drift: a gold recommendation has been carried across as many reviews as its chain of gold
  `repeats` links is long (a recommendation the record says is carried forward, with no earlier
  review in the corpus, counts as two); three or more is drift, compared with the `drift` flag.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from recqual.analyse import analyse
from recqual.corpus.build import read_split
from recqual.report import Report

GRADE_RANK = {"inadequate": 0, "requires improvement": 1, "good": 2, "outstanding": 3}
# Figures where higher is better, checked against the recorded baseline in CI.
TRACKED = [
    ("recommendations", "f1"),
    ("owner", "accuracy"),
    ("missing_owner", "f1"),
    ("missing_or_vague_deadline", "f1"),
    ("deadline_kind", "accuracy"),
    ("deadline_date", "accuracy"),
    ("repeated_action", "f1"),
    ("drift", "f1"),
    ("issues", "f1"),
    ("unaddressed_education_identity", "f1"),
    ("unaddressed_all", "f1"),
    ("score_grade", "spearman"),
]


def _overlap(a: tuple[int, int] | list[int], b: tuple[int, int] | list[int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _one_to_one(scored: list[tuple[float, int, int]]) -> list[tuple[int, int]]:
    """(gold index, predicted index) pairs from (score, gold, predicted) candidates, best score first, each index used once."""
    used_g, used_p, out = set(), set(), []
    for _, gi, pi in sorted(scored, reverse=True):
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return out


def match_spans(gold: list[list[int]], pred: list[list[int]], min_share: float = 0.5) -> list[tuple[int, int]]:
    """One-to-one (gold index, predicted index) pairs whose spans overlap by `min_share` of the shorter, best overlap first."""
    scored = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            ov = _overlap(g, p)
            shorter = max(1, min(g[1] - g[0], p[1] - p[0]))
            if ov and ov / shorter >= min_share:
                scored.append((ov / max(g[1] - g[0], p[1] - p[0]), gi, pi))
    return _one_to_one(scored)


class PRF:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0

    def add(self, gold: bool, pred: bool) -> None:
        self.tp += gold and pred
        self.fp += pred and not gold
        self.fn += gold and not pred

    def result(self) -> dict[str, float | int]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "tp": self.tp, "fp": self.fp, "fn": self.fn}


class Accuracy:
    def __init__(self) -> None:
        self.right = self.total = 0

    def add(self, ok: bool) -> None:
        self.right += ok
        self.total += 1

    def result(self) -> dict[str, float | int]:
        return {"accuracy": round(self.right / self.total, 3) if self.total else 0.0, "n": self.total}


def issue_spans(issue: dict[str, Any]) -> list[list[int]]:
    """Every span of a gold issue: its evidence, then the sentences that restate it (`also`)."""
    return [issue["span"], *issue.get("also_spans", [])]


def _issue_pairs(gold: list[dict[str, Any]], pred: list[Any]) -> list[tuple[int, int]]:
    # A finding on any sentence that raises the concern finds that concern; each concern counts once.
    scored = [
        (max(_overlap(s, p.span) for s in issue_spans(g)), gi, pi)
        for gi, g in enumerate(gold)
        for pi, p in enumerate(pred)
        if g["domain"] == p.domain and any(_overlap(s, p.span) for s in issue_spans(g))
    ]
    return _one_to_one(scored)


def _score_issues(gold: list[dict[str, Any]], pred: list[Any], metric: PRF, keep: Any) -> None:
    """Add matched and unmatched issues that `keep` selects to `metric`."""
    g_sel = [g for g in gold if keep(g["domain"], not g["addressed_by"])]
    p_sel = [p for p in pred if keep(p.domain, not p.addressed_by)]
    matched = len(_issue_pairs(g_sel, p_sel))
    metric.tp += matched
    metric.fn += len(g_sel) - matched
    metric.fp += len(p_sel) - matched


def evaluate(
    split: str, corpus_dir: Path = Path("corpus/annotated"), worst: int = 5, method: str = "combined", rubric: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Every figure for one split, with concerns found by `method` (rules, model or combined), scored with `rubric` (default: the packaged one)."""
    records = read_split(split, corpus_dir)
    by_id = {r["meta"]["record_id"]: r for r in records}
    m: dict[str, Any] = {
        "recommendations": PRF(),
        "owner": Accuracy(),
        "owner_role": Accuracy(),
        "missing_owner": PRF(),
        "missing_or_vague_deadline": PRF(),
        "vague_deadline": PRF(),
        "deadline_kind": Accuracy(),
        "deadline_date": Accuracy(),
        "vague_action": PRF(),
        "standing": PRF(),
        "repeated_action": PRF(),
        "drift": PRF(),
        "issues": PRF(),
        "unaddressed_education_identity": PRF(),
        "unaddressed_education": PRF(),
        "unaddressed_identity": PRF(),
        "unaddressed_all": PRF(),
        "review_date": Accuracy(),
        "next_review_date": Accuracy(),
    }
    scores, grades, words, errors_by_record = [], [], [], Counter()
    reports: dict[str, Report] = {}
    carried: dict[tuple[str, str], int] = {}  # (record, gold recommendation) -> reviews the action has been asked for
    for record in sorted(records, key=lambda r: r["meta"]["record_id"]):
        meta = record["meta"]
        prev_id = meta["previous_record"]
        previous = reports.get(prev_id)
        if previous is None and prev_id in by_id:
            previous = analyse(by_id[prev_id]["text"], source=prev_id, method=method, rubric=rubric)
        report = analyse(record["text"], source=meta["record_id"], previous=previous, method=method, rubric=rubric)
        reports[meta["record_id"]] = report
        rid = meta["record_id"]
        m["review_date"].add(report.metadata.review_date == meta["review_date"])
        m["next_review_date"].add(report.metadata.next_review_date == meta["next_review_date"])
        gold, pred = record["recommendations"], report.recommendations
        for g in gold:
            chain = carried.get((prev_id, g["repeats"]), 1) + 1 if g["repeats"] is not None else 2 if g["carried_forward"] else 1
            carried[(rid, g["id"])] = chain
        pairs = match_spans([g["span"] for g in gold], [list(p.span) for p in pred])
        n = len(pairs)
        m["recommendations"].tp += n
        m["recommendations"].fn += len(gold) - n
        m["recommendations"].fp += len(pred) - n
        errors_by_record[rid] += (len(gold) - n) + (len(pred) - n)
        for gi, pi in pairs:
            g, p = gold[gi], pred[pi]
            go, po = g["owner"], p.owner
            owner_ok = (go is None and po is None) or (go is not None and po is not None and _overlap(go["span"], po.span) > 0)
            m["owner"].add(owner_ok)
            if go is not None:
                m["owner_role"].add(po is not None and po.role == go["role"])
            errors_by_record[rid] += not owner_ok
            m["missing_owner"].add(go is None, "missing_owner" in p.flags)
            gd, pd = g["deadline"], p.deadline
            weak_gold = gd is None or gd["kind"] == "vague"
            m["missing_or_vague_deadline"].add(weak_gold, "missing_deadline" in p.flags or "vague_deadline" in p.flags)
            m["vague_deadline"].add(gd is not None and gd["kind"] == "vague", "vague_deadline" in p.flags)
            errors_by_record[rid] += weak_gold != ("missing_deadline" in p.flags or "vague_deadline" in p.flags)
            if gd is not None:
                m["deadline_kind"].add(pd is not None and pd.kind == gd["kind"])
                if gd["date"] is not None:
                    m["deadline_date"].add(pd is not None and pd.date == gd["date"])
            m["vague_action"].add(g["vague_action"], "vague_action" in p.flags)
            m["standing"].add(g["standing"], "standing_recommendation" in p.flags)
            m["repeated_action"].add(g["repeats"] is not None or g["carried_forward"], "repeated_action" in p.flags)
            m["drift"].add(carried[(rid, g["id"])] >= 3, "drift" in p.flags)
        gi_, pi_ = record["issues"], report.issues
        _score_issues(gi_, pi_, m["issues"], lambda d, u: True)
        _score_issues(gi_, pi_, m["unaddressed_all"], lambda d, u: u)
        _score_issues(gi_, pi_, m["unaddressed_education_identity"], lambda d, u: u and d in ("education", "identity"))
        _score_issues(gi_, pi_, m["unaddressed_education"], lambda d, u: u and d == "education")
        _score_issues(gi_, pi_, m["unaddressed_identity"], lambda d, u: u and d == "identity")
        scores.append(report.score)
        grades.append(GRADE_RANK[meta["grade"]])
        words.append(GRADE_RANK.get(report.grade))
    result: dict[str, Any] = {"split": split, "records": len(records)}
    for name, metric in m.items():
        result[name] = metric.result()
    result["score_grade"] = {**_rank_agreement(scores, grades), **_grade_agreement(words, grades)}
    result["worst_records"] = [{"record": rid, "errors": n} for rid, n in errors_by_record.most_common(worst)]
    return result


def _rank_agreement(scores: list[int], grades: list[int]) -> dict[str, Any]:
    from scipy.stats import spearmanr

    if len(set(scores)) < 2 or len(set(grades)) < 2:
        return {"spearman": 0.0, "inadequate_above_outstanding": 0}
    rho = spearmanr(scores, grades).statistic
    worst_inadequate = max((s for s, g in zip(scores, grades, strict=True) if g == 0), default=-1)
    best_outstanding = min((s for s, g in zip(scores, grades, strict=True) if g == 3), default=101)
    inverted = sum(1 for s, g in zip(scores, grades, strict=True) if g == 0 and s > best_outstanding)
    return {
        "spearman": round(float(rho), 3),
        "inadequate_above_outstanding": inverted,
        "max_inadequate_score": worst_inadequate,
        "min_outstanding_score": best_outstanding,
    }


def _grade_agreement(words: list[int | None], grades: list[int]) -> dict[str, Any]:
    """How often the grade word the score earns is the annotated grade, and within one grade of it (a custom rubric's own words count as wrong)."""
    if not grades:
        return {"grade_exact": 0.0, "grade_within_one": 0.0}
    exact = sum(w == g for w, g in zip(words, grades, strict=True))
    near = sum(w is not None and abs(w - g) <= 1 for w, g in zip(words, grades, strict=True))
    return {"grade_exact": round(exact / len(grades), 3), "grade_within_one": round(near / len(grades), 3)}


def format_table(result: dict[str, Any]) -> str:
    lines = [f"recqual evaluate: split {result['split']}, {result['records']} records", ""]
    lines.append(f"{'task':40} {'P':>6} {'R':>6} {'F1':>6} {'acc':>6} {'n':>6}")
    for name, value in result.items():
        if not isinstance(value, dict) or name == "score_grade":
            continue
        if "f1" in value:
            n = value["tp"] + value["fn"]
            lines.append(f"{name:40} {value['precision']:6.3f} {value['recall']:6.3f} {value['f1']:6.3f} {'':>6} {n:6d}")
        elif "accuracy" in value:
            lines.append(f"{name:40} {'':>6} {'':>6} {'':>6} {value['accuracy']:6.3f} {value['n']:6d}")
    sg = result["score_grade"]
    lines.append(
        f"{'score vs grade (Spearman)':40} {sg['spearman']:6.3f}   inadequate records above the lowest outstanding: {sg['inadequate_above_outstanding']}"
    )
    if "grade_exact" in sg:
        lines.append(f"{'grade word = annotated grade':40} {'':>6} {'':>6} {'':>6} {sg['grade_exact']:6.3f}   within one grade: {sg['grade_within_one']:.3f}")
    lines.append("")
    lines.append("records with the most errors: " + ", ".join(f"{w['record']} ({w['errors']})" for w in result["worst_records"]))
    return "\n".join(lines)


def check_baseline(result: dict[str, Any], baseline: dict[str, Any], tolerance: float = 0.005) -> list[str]:
    """Figures that fell below the recorded baseline by more than `tolerance`."""
    failures = []
    for task, key in TRACKED:
        if task in baseline and key in baseline[task]:
            now, then = result[task][key], baseline[task][key]
            if now < then - tolerance:
                failures.append(f"{task} {key} {now:.3f} < recorded {then:.3f}")
    return failures
