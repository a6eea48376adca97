"""The report an analysis produces (schema `recqual/report-v1`), and its JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA = "recqual/report-v1"

Span = tuple[int, int]


@dataclass
class Owner:
    text: str
    span: Span
    role: str | None


@dataclass
class Deadline:
    text: str
    span: Span
    kind: str  # date | relative | event | vague
    date: str | None


@dataclass
class Repeat:
    previous_id: str | None
    similarity: float
    previous_text: str | None = None
    reviews: int = 2  # how many consecutive reviews have asked for this action, this one included
    evidence: Span | None = None  # where the record's own progress notes say the action was not done


@dataclass
class Recommendation:
    id: str
    text: str
    span: Span
    shape: str  # table | list | form | narrative | letter | inline
    owner: Owner | None = None
    deadline: Deadline | None = None
    repeats: Repeat | None = None
    carried_forward: bool = False
    flags: list[str] = field(default_factory=list)


@dataclass
class Issue:
    domain: str
    evidence: str
    span: Span
    addressed_by: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    also: list[Span] = field(default_factory=list)  # later sentences that restate the same concern


@dataclass
class Flag:
    code: str
    severity: str
    span: Span | None
    message: str
    suggestion: str
    recommendation: str | None = None
    evidence: list[Span] | None = None  # the places that show it, when there are several (each bundled action)


@dataclass
class Metadata:
    """What the record's header says about the review."""

    review_date: str | None = None
    next_review_date: str | None = None
    review_number: int | None = None
    child_first_name: str | None = None
    iro: str | None = None
    date_of_birth: str | None = None


@dataclass
class Report:
    source: str
    text: str
    metadata: Metadata
    recommendations: list[Recommendation]
    issues: list[Issue]
    flags: list[Flag]
    score: int = 100
    grade: str = "outstanding"
    subscores: dict[str, int] = field(default_factory=dict)
    reasons: list[dict[str, Any]] = field(default_factory=list)
    sections: list[dict[str, Any]] = field(default_factory=list)
    previous_source: str | None = None
    breakdown: list[dict[str, Any]] = field(default_factory=list)  # each sub-score's weight, wording and criteria with the points they took off
    readability: dict[str, Any] | None = None  # how readable the recommendations are for the child (recqual.readability)

    def to_dict(self, include_text: bool = True) -> dict[str, Any]:
        """The report-v1 JSON object."""
        out: dict[str, Any] = {
            "schema": SCHEMA,
            "source": self.source,
            "review_date": self.metadata.review_date,
            "next_review_date": self.metadata.next_review_date,
            "review_number": self.metadata.review_number,
            "child_first_name": self.metadata.child_first_name,
            "iro": self.metadata.iro,
            "score": self.score,
            "grade": self.grade,
            "subscores": self.subscores,
            "reasons": self.reasons,
            "recommendations": [_recommendation(r) for r in self.recommendations],
            "issues": [
                {
                    "domain": i.domain,
                    "evidence": i.evidence,
                    "span": list(i.span),
                    "addressed_by": i.addressed_by,
                    "flags": i.flags,
                    "also": [list(a) for a in i.also],
                }
                for i in self.issues
            ],
            "flags": [_flag(f) for f in self.flags],
            "sections": self.sections,
            "breakdown": self.breakdown,
            "readability": self.readability,
        }
        if self.previous_source is not None:
            out["previous_source"] = self.previous_source
        if include_text:
            out["text"] = self.text
        return out


def _recommendation(r: Recommendation) -> dict[str, Any]:
    return {
        "id": r.id,
        "text": r.text,
        "span": list(r.span),
        "shape": r.shape,
        "owner": None if r.owner is None else {"text": r.owner.text, "span": list(r.owner.span), "role": r.owner.role},
        "deadline": None if r.deadline is None else {"text": r.deadline.text, "span": list(r.deadline.span), "kind": r.deadline.kind, "date": r.deadline.date},
        "repeats": None
        if r.repeats is None
        else {
            "previous_id": r.repeats.previous_id,
            "similarity": round(r.repeats.similarity, 2),
            "reviews": r.repeats.reviews,
            "evidence": None if r.repeats.evidence is None else list(r.repeats.evidence),
        },
        "carried_forward": r.carried_forward,
        "flags": r.flags,
    }


def _flag(f: Flag) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": f.code,
        "severity": f.severity,
        "span": None if f.span is None else list(f.span),
        "message": f.message,
        "suggestion": f.suggestion,
    }
    if f.recommendation is not None:
        out["recommendation"] = f.recommendation
    if f.evidence:
        out["evidence"] = [list(span) for span in f.evidence]
    return out
