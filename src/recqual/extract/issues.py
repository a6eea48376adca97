"""Concerns and unmet needs raised in the discussion, by domain, and which recommendation addresses each."""

from __future__ import annotations

import functools
import re

from recqual import vocab
from recqual.report import Issue, Recommendation
from recqual.segment.items import split_sentences
from recqual.segment.sections import Section

# Sections whose sentences can raise a concern (not the front sheet, attendance list or sign-off).
DISCUSSION = {"domain", "summary", "views", "progress", "recommendations"}


@functools.cache
def _stopwords() -> frozenset[str]:
    return frozenset(vocab.load("domains")["stopwords"])


@functools.cache
def _domain_index() -> vocab.PhraseIndex:
    return vocab.PhraseIndex(vocab.load("domains")["domains"])


@functools.cache
def _cue_index() -> vocab.PhraseIndex:
    words = vocab.load("domains")
    return vocab.PhraseIndex({"concern": words["concern_cues"], "positive": words["positive_cues"]})


def domain_hits(text: str) -> dict[str, int]:
    """How many topic words of each domain `text` contains."""
    return _domain_index().counts(text)


def is_concern(sentence: str) -> bool:
    """Whether a sentence raises a concern or need rather than reporting something positive or neutral."""
    # A denied or past cue ("no suspensions since January", "up from 86%") raises no problem now: blank it out first.
    cues = _cue_index().counts(vocab.compiled("domains", "negated_cues").sub(" ", sentence))
    return cues.get("concern", 0) > 0 and cues["concern"] >= cues.get("positive", 0)


def concern_domain(sentence: str, section_domain: str | None) -> str | None:
    """The domain of the concern the rules see in a sentence (its domain words, then its section's), or None."""
    return topic_domain(domain_hits(sentence), section_domain) if is_concern(sentence) else None


def topic_domain(hits: dict[str, int], section_domain: str | None) -> str | None:
    """The domain a sentence is about, from its domain words (`domain_hits`), its section's breaking ties."""
    hits = dict(hits)
    if section_domain:
        hits[section_domain] = hits.get(section_domain, 0) + 1
    return max(hits, key=lambda d: (hits[d], d == section_domain)) if hits else None


def content_words(text: str) -> set[str]:
    """Lower-cased content words, crudely stemmed, for overlap between a concern and an action."""
    words = re.findall(r"[a-z][a-z+'’-]{2,}", text.lower())
    stop = _stopwords()
    return {w.rstrip("s")[:6] for w in words if w not in stop}


def find_issues(text: str, sections: list[Section], rec_spans: list[tuple[int, int]]) -> list[Issue]:
    """Concern sentences outside the recommendations, adjacent ones on one topic merged into one issue."""
    issues: list[Issue] = []
    for section in sections:
        if section.kind not in DISCUSSION or section.end <= section.start:
            continue
        last_end = -1
        for s, e in split_sentences(text, section.start, section.end):
            if any(s < re_ and rs < e for rs, re_ in rec_spans):
                last_end = -1
                continue
            domain = concern_domain(text[s:e], section.domain)
            if domain is None:
                last_end = -1
                continue
            gap = text[last_end:s] if last_end >= 0 else "\n\n"
            if issues and issues[-1].domain == domain and "\n\n" not in gap:
                prev = issues[-1]
                prev.span = (prev.span[0], e)
                prev.evidence = text[prev.span[0] : e]
            else:
                issues.append(Issue(domain, text[s:e], (s, e)))
            last_end = e
    return issues


def link_issues(issues: list[Issue], recommendations: list[Recommendation]) -> None:
    """Fill `addressed_by` with the recommendations that speak to each concern's topic and words."""
    rec_words = {r.id: content_words(r.text) for r in recommendations}
    rec_domains = {r.id: domain_hits(r.text) for r in recommendations}
    for issue in issues:
        words = content_words(issue.evidence)
        for rec in recommendations:
            shared = words & rec_words[rec.id]
            same_domain = issue.domain in rec_domains[rec.id]
            if (same_domain and len(shared) >= 1) or len(shared) >= 3:
                issue.addressed_by.append(rec.id)
