"""The one analysis path: a record's text in, a report out. The CLI, the endpoint and the batch all call `analyse`."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from recqual import readability, vocab
from recqual import score as scoring
from recqual.checks import catalogue, plain_language
from recqual.checks import recommendation as rec_checks
from recqual.checks import record as record_checks
from recqual.extract import deadline as deadlines
from recqual.extract import owner as owners
from recqual.extract.dates import find_dates, parse_iso
from recqual.follow import progress, repeats
from recqual.nlp import issue_finder, models, spans, syntax
from recqual.report import Deadline, Owner, Recommendation, Report
from recqual.segment import header
from recqual.segment.items import Item, find_items
from recqual.segment.lines import split_lines
from recqual.segment.sections import split_sections

STAYS = re.compile(r"\b(?:remain|stay|live|reside|looked after|accommodated|cared for)", re.IGNORECASE)  # where the child lives, not what they do
LETTER = re.compile(r"^\s*(?:dear|hello|hi)\s+[A-Z]", re.IGNORECASE | re.MULTILINE)


def _deadline(text: str, item: Item, rec_text_span: tuple[int, int], anchors: deadlines.Anchors) -> Deadline | None:
    if item.deadline_span is not None:
        s, e = item.deadline_span
        found = deadlines.resolve_cell(text[s:e], anchors) if e > s else None
        offset = s
    else:
        s, e = rec_text_span
        found = deadlines.resolve_in_text(text[s:e], anchors)
        offset = s
        if found is None and item.region and item.region[1] > e:
            found = deadlines.resolve_in_text(text[e : item.region[1]], anchors)
            offset = e
    if found is None:
        return None
    start, end = offset + found.start, offset + found.end
    return Deadline(text[start:end], (start, end), found.kind, found.date.isoformat() if found.date else None)


def _model_owner(text: str, model: spans.Reading, people: dict[str, str]) -> Owner | None:
    """The first OWNER span of the model that names someone who can act (a vague one, "all professionals", is no owner)."""
    for start, end in model.spans("OWNER"):
        if owners.is_owner(text[start:end], people):  # a role, a person, "I" or "you": not "Callum's wish"
            return owners.from_cell(text[start:end], start, people)
    return None


def _model_deadline(text: str, model: spans.Reading, anchors: deadlines.Anchors) -> Deadline | None:
    """The model's DEADLINE spans, each given its kind and date by the deadline rules, and the one they would choose."""
    found = []
    for start, end in model.spans("DEADLINE"):
        f = deadlines.resolve_cell(text[start:end], anchors)
        if f is not None:
            found.append(deadlines.Found(start + f.start, start + f.end, f.kind, f.date, f.cued))
    best = deadlines.choose(found)
    if best is None:
        return None
    return Deadline(text[best.start : best.end], (best.start, best.end), best.kind, best.date.isoformat() if best.date else None)


def _has_day(deadline: Deadline) -> bool:
    """Whether a deadline names a day (a full date, or a period or event that resolves to one), not a month alone."""
    if deadline.kind == "date":
        return any(not month_only for *_, month_only in find_dates(deadline.text, None))
    return deadline.date is not None


def _recommendation(
    text: str, n: int, item: Item, anchors: deadlines.Anchors, people: dict[str, str], letter: bool, child_name: str | None, method: str
) -> Recommendation:
    s, e = item.span
    rec = Recommendation(id=f"R{n}", text=text[s:e], span=(s, e), shape=item.shape)
    model = spans.Reading(text, item.span, item.region) if method != "rules" else None
    if model is not None and method == "model":
        rec.owner = _model_owner(text, model, people)
    elif item.owner_span is not None:
        os_, oe = item.owner_span
        rec.owner = owners.from_cell(text[os_:oe], os_, people) if oe > os_ else None
    elif method == "model":
        rec.owner = syntax.owner_from_parse(rec.text, s, people)
    else:
        rec.owner = owners.from_text(rec.text, s, people)
        if rec.owner is None and item.region and item.region[1] > e:
            rec.owner = owners.from_text(text[e : item.region[1]], e, people)
        if rec.owner is None and model is not None:
            # The span model finds owners the patterns miss; the rules win when both find one.
            rec.owner = _model_owner(text, model, people)
        if rec.owner is None and method == "combined":
            # The parse finds passive agents the patterns miss ("... to be sent to the school by the
            # supervising social worker"); its subjects are left out, they cost owner accuracy on dev.
            rec.owner = syntax.owner_from_parse(rec.text, s, people, agents_only=True)
    if rec.owner is not None and rec.owner.role is None and child_name and rec.owner.text.split()[0] == child_name:
        rec.owner.role = "child"
    if rec.owner is not None and rec.owner.text.lower() == "you" and letter:
        rec.owner.role = "child"
    if rec.owner is not None and rec.owner.role == "child" and (m := rec_checks.standing(rec.text)) and STAYS.search(m.group()):
        rec.owner = None  # "Kyle to remain at ..." names the child, not someone who must act
    if model is not None and method == "model":
        rec.deadline = _model_deadline(text, model, anchors)
    else:
        rec.deadline = _deadline(text, item, (s, e), anchors)
        if model is not None and (rec.deadline is None or not _has_day(rec.deadline)):
            # The model fills in a deadline the rules miss, and a day it marks wins over a month alone
            # or an undated event the rules chose from elsewhere in the item ("in January" is background).
            found = _model_deadline(text, model, anchors)
            if found is not None and (rec.deadline is None or _has_day(found)):
                rec.deadline = found
    region = text[item.region[0] : item.region[1]] if item.region else rec.text
    rec.carried_forward = repeats.carried_forward(region)
    return rec


def analyse(
    text: str,
    *,
    source: str = "<text>",
    review_date: str | dt.date | None = None,
    previous: Report | None = None,
    rubric: dict[str, Any] | None = None,
    method: str = "combined",
) -> Report:
    """Analyse the text of one review record; `previous` is the report on the child's last review.

    `method` chooses how owners, deadlines and concerns are found and linked: "rules", "model" or
    "combined" (the default; see models/README.md for how each does on the dev split).
    """
    with models.transient():
        return _analyse(text, source, review_date, previous, rubric, method)


def _analyse(text: str, source: str, review_date: str | dt.date | None, previous: Report | None, rubric: dict[str, Any] | None, method: str) -> Report:
    lines = split_lines(text)
    sections = split_sections(lines, len(text))
    meta = header.read_header(text)
    if review_date is not None:
        meta.review_date = review_date.isoformat() if isinstance(review_date, dt.date) else dt.date.fromisoformat(review_date).isoformat()
    anchors = deadlines.Anchors(parse_iso(meta.review_date), parse_iso(meta.next_review_date), parse_iso(meta.date_of_birth))
    people = header.people(text)
    letter = bool(LETTER.search(text[:1500]))

    items = find_items(text, lines, sections, letter)
    if method != "rules":
        syntax.parse_all([text[slice(*item.span)] for item in items])
    recs = [_recommendation(text, n, item, anchors, people, letter, meta.child_first_name, method) for n, item in enumerate(items, start=1)]
    repeats.read_tails(text, recs)
    notes = progress.read_notes(text, lines, sections)
    if previous is not None:
        repeats.match_previous(recs, previous.recommendations, notes)
    else:
        repeats.mark_carried(recs, notes)

    flags = []
    for rec in recs:
        rec_flags = rec_checks.check(rec, meta.review_date, parse=method != "rules")
        rec.flags = [f.code for f in rec_flags]
        flags.extend(rec_flags)
    readable = readability.measure(text, recs)
    by_id = {rec.id: rec for rec in recs}
    for flag in plain_language.check(readable):
        if flag.recommendation is not None and flag.code not in by_id[flag.recommendation].flags:
            by_id[flag.recommendation].flags.append(flag.code)
        flags.append(flag)

    issues = issue_finder.find(text, sections, recs, method)
    suggestions = vocab.load("flags")["domain_suggestions"]
    for issue in issues:
        if not issue.addressed_by:
            issue.flags.append("unaddressed_issue")
            flags.append(
                catalogue.make("unaddressed_issue", issue.span, domain=issue.domain.replace("_", " "), domain_suggestion=suggestions.get(issue.domain, ""))
            )
    flags.extend(record_checks.check(text, meta, sections, recs, letter))

    scored = scoring.score(flags, recs, rubric)
    return Report(
        source=source,
        text=text,
        metadata=meta,
        recommendations=recs,
        issues=issues,
        flags=flags,
        score=scored.score,
        grade=scored.grade,
        subscores=scored.subscores,
        reasons=scored.reasons,
        breakdown=scored.breakdown,
        readability=readable.to_dict(),
        sections=[{"kind": s.kind, "domain": s.domain, "heading": s.heading, "span": [s.start, s.end]} for s in sections if s.heading_span],
        previous_source=previous.source if previous else None,
    )
