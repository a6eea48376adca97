"""Readability of the recommendations for the child: sentence length, a reading age, jargon and unexplained abbreviations.

Records are written to and read by children, so the recommendations (what will happen next)
are measured as the child would read them:

- sentence length in words (numbers and dates count as words);
- the Flesch-Kincaid grade level, 0.39 x words per sentence + 11.8 x syllables per word - 15.59
  (Kincaid, Fishburne, Rogers and Chissom, 1975), over all the recommendations together, each
  recommendation at least one sentence; the reading age is the grade level + 5, as a US school
  grade 1 is age 6 to 7; Flesch reading ease, 206.835 - 1.015 x words per sentence - 84.6 x
  syllables per word, beside it;
- professional words with a plain alternative, and abbreviations the record never spells out,
  from vocab/jargon.yaml.

Syllables are counted by the usual English vowel-group rules (`syllables`). textstat, the
common library for these formulas, downloads the CMU pronouncing dictionary at run time, which
recqual may not do; pyphen's hyphenation points count syllables less well (measured by
scripts/measure_syllables.py against the CMU dictionary on the corpus's recommendation words:
exact on 95.5% of words against pyphen's 85.7%).
"""

from __future__ import annotations

import calendar
import functools
import re
from dataclasses import dataclass, field
from typing import Any

from recqual import vocab
from recqual.report import Recommendation, Span
from recqual.segment.items import split_sentences

WORD = re.compile(r"[A-Za-z0-9][\w'’&+/.-]*[\w+]|[A-Za-z0-9]")
DIGITS = re.compile(r"\d+")
# Candidates for an abbreviation: a word with a capital after its first letter, or with a digit
# or + ("PEP", "ePEP", "s20", "PP+"); the possessive or plural ending is not part of it.
CANDIDATE = re.compile(r"(?<![\w&+/])(?P<abbr>[A-Za-z](?:[A-Za-z0-9&+/]*[A-Z0-9+])[A-Za-z0-9&+/]*?)(?P<suffix>s|['’]s)?(?![\w&+/])")
UNKNOWN = re.compile(r"^[A-Z]{2,6}$")
CALENDAR = frozenset(n.lower() for n in [*calendar.month_name, *calendar.month_abbr, *calendar.day_name, *calendar.day_abbr, "sept"] if n)
SMALL_WORDS = r"(?:(?:and|of|for|the|in|&|with|to|on)[\s,-]+)?"


def syllables(word: str) -> int:
    """The syllables in one word by English vowel-group rules: a silent final -e, -es and -ed dropped, vowel pairs one sound."""
    if any(c.isdigit() for c in word):
        return max(1, len(DIGITS.findall(word)))
    letters = re.sub(r"[^a-z]", "", word.lower())
    if word.isupper() and 1 < len(letters) <= 5:
        return len(letters)  # an initialism is read letter by letter
    if len(letters) <= 3:
        return 1
    core = re.sub(r"(?:[^laeiouydt]ed|[^laeiouysxzhcg]es|[^laeiouy]e)$", "", letters)
    core = re.sub(r"^y", "", core)
    groups = len(re.findall(r"[aeiouy]{1,2}", core))
    # "virtual", "annual": u then a are two sounds (not after q or g, as in "quality", "guard")
    splits = len(re.findall(r"(?<![qg])ua|[^aeiou]i[ao](?!n$|ns$|us)", core))
    return max(1, groups + splits)


def grade_level(words: int, sentences: int, syllable_count: int) -> float:
    """The Flesch-Kincaid grade level."""
    return 0.39 * words / sentences + 11.8 * syllable_count / words - 15.59


def reading_ease(words: int, sentences: int, syllable_count: int) -> float:
    """Flesch reading ease: 100 is very easy, below 50 is hard."""
    return 206.835 - 1.015 * words / sentences - 84.6 * syllable_count / words


@dataclass
class Finding:
    """A word in a recommendation a child may not understand."""

    recommendation: str
    span: Span
    text: str
    plain: str | None = None  # jargon: what to say instead
    means: str | None = None  # abbreviation: what it stands for, when known


@dataclass
class LongSentence:
    recommendation: str
    span: Span
    words: int


@dataclass
class Readability:
    """How readable the recommendations are for the child."""

    words: int = 0
    sentences: int = 0
    syllables: int = 0
    longest_sentence_words: int = 0
    long_sentences: list[LongSentence] = field(default_factory=list)
    jargon: list[Finding] = field(default_factory=list)
    abbreviations: list[Finding] = field(default_factory=list)

    @property
    def grade_level(self) -> float | None:
        return grade_level(self.words, self.sentences, self.syllables) if self.words else None

    @property
    def reading_age(self) -> int | None:
        grade = self.grade_level
        return None if grade is None else max(5, round(grade + 5))

    @property
    def measurable(self) -> bool:
        """Enough words for a reading age to mean something."""
        return self.words >= limits()["min_words"]

    @property
    def hard_to_read(self) -> bool:
        return self.measurable and (self.reading_age or 0) > limits()["reading_age"]

    def to_dict(self) -> dict[str, Any]:
        grade = self.grade_level
        return {
            "measure": "Flesch-Kincaid grade level",
            "grade_level": None if grade is None else round(grade, 1),
            "reading_age": self.reading_age,
            "reading_ease": None if not self.words else round(reading_ease(self.words, self.sentences, self.syllables), 1),
            "measurable": self.measurable,
            "words": self.words,
            "sentences": self.sentences,
            "mean_sentence_words": round(self.words / self.sentences, 1) if self.sentences else None,
            "longest_sentence_words": self.longest_sentence_words,
            "long_sentences": [{"recommendation": s.recommendation, "span": list(s.span), "words": s.words} for s in self.long_sentences],
            "jargon": [{"recommendation": f.recommendation, "span": list(f.span), "term": f.text, "plain": f.plain} for f in self.jargon],
            "unexplained_abbreviations": [
                {"recommendation": f.recommendation, "span": list(f.span), "abbreviation": f.text, "means": f.means} for f in self.abbreviations
            ],
            "limits": {"sentence_words": limits()["sentence_words"], "reading_age": limits()["reading_age"]},
        }


def limits() -> dict[str, int]:
    return vocab.load("jargon")["limits"]


@dataclass(frozen=True)
class _Term:
    pattern: re.Pattern[str]
    plain: str
    not_after: frozenset[str]
    not_before: frozenset[str]


@functools.cache
def _terms() -> list[_Term]:
    out = []
    for entry in vocab.load("jargon")["jargon"]:
        term = str(entry["term"])
        if any(c.isupper() for c in term):  # "LAC" as written, with a plural -s; "contact" in any case
            pattern = re.compile(rf"(?<!\w){re.escape(term)}s?(?!\w)")
        else:
            pattern = re.compile(vocab.phrase_pattern([term]), re.IGNORECASE)
        out.append(
            _Term(
                pattern,
                str(entry["plain"]),
                frozenset(w.lower() for w in entry.get("not_after", [])),
                frozenset(w.lower() for w in entry.get("not_before", [])),
            )
        )
    return out


@functools.cache
def _abbreviations() -> dict[str, tuple[str, ...]]:
    return {str(k): tuple(str(m) for m in v) for k, v in vocab.load("jargon")["abbreviations"].items()}


@functools.cache
def _understood() -> frozenset[str]:
    return frozenset(str(w) for w in vocab.load("jargon")["understood"])


@functools.cache
def _phrase(words: str) -> re.Pattern[str]:
    """What an abbreviation stands for, found in any case, across line breaks and with or without hyphens and commas."""
    body = r"[\s,-]+".join(re.escape(w) for w in re.split(r"[\s,-]+", words.strip()))
    return re.compile(r"(?<!\w)" + body, re.IGNORECASE)


@functools.cache
def _initials(abbr: str) -> re.Pattern[str]:
    """Consecutive words whose initials spell `abbr` ("strengths and difficulties questionnaire" for SDQ)."""
    parts = [rf"{re.escape(c)}[\w'’]*" for c in abbr]
    return re.compile(r"(?<!\w)" + (r"[\s,-]+" + SMALL_WORDS).join(parts) + r"(?!\w)", re.IGNORECASE)


class _Record:
    """What the whole record says, for deciding whether a word in a recommendation is explained or ordinary."""

    def __init__(self, text: str) -> None:
        self.text = text
        tokens = re.findall(r"[A-Za-z]+", text)
        self.lower = {t for t in tokens if t.islower()}
        self.title = {t for t in tokens if t[0].isupper() and t[1:].islower()}
        self._explained: dict[str, bool] = {}

    def ordinary_word(self, token: str) -> bool:
        """The record uses the letters as an ordinary word or name elsewhere ("SEND" beside "send", "KYLE" beside "Kyle")."""
        return token.lower() in self.lower or token.capitalize() in self.title or token.lower() in CALENDAR

    def explains(self, abbr: str, means: tuple[str, ...]) -> bool:
        if abbr not in self._explained:
            if means:
                self._explained[abbr] = any(_phrase(m).search(self.text) for m in means)
            else:
                self._explained[abbr] = abbr.isalpha() and bool(_initials(abbr).search(self.text))
        return self._explained[abbr]


def _shouting(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 12 and sum(c.isupper() for c in letters) > 0.6 * len(letters)


def _word_before(text: str, start: int) -> str:
    m = re.search(r"([\w'’]+)[^\w]*$", text[:start])
    return m.group(1).lower() if m else ""


def _word_after(text: str, end: int) -> str:
    m = re.match(r"[^\w]*([\w'’]+)", text[end:])
    return m.group(1).lower() if m else ""


def _jargon(rec: Recommendation) -> list[Finding]:
    found: list[Finding] = []
    taken: list[Span] = []
    for term in _terms():
        for m in term.pattern.finditer(rec.text):
            if _word_before(rec.text, m.start()) in term.not_after or _word_after(rec.text, m.end()) in term.not_before:
                continue
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append(Finding(rec.id, (rec.span[0] + m.start(), rec.span[0] + m.end()), m.group(), plain=term.plain))
    return sorted(found, key=lambda f: f.span)


def _unexplained(rec: Recommendation, record: _Record, jargon: list[Finding]) -> list[Finding]:
    known, understood = _abbreviations(), _understood()
    shouting = _shouting(rec.text)
    out = []
    for m in CANDIDATE.finditer(rec.text):
        abbr = m.group("abbr")
        start, end = rec.span[0] + m.start("abbr"), rec.span[0] + m.end("abbr")
        if abbr in understood or any(f.span[0] <= start < f.span[1] for f in jargon):
            continue
        if abbr in known:
            if shouting and record.ordinary_word(abbr):
                continue
            if not record.explains(abbr, known[abbr]):
                out.append(Finding(rec.id, (start, end), abbr, means=known[abbr][0]))
        elif UNKNOWN.match(abbr) and not shouting and not record.ordinary_word(abbr) and not record.explains(abbr, ()):
            out.append(Finding(rec.id, (start, end), abbr))
    return out


def _sentences(text: str, rec: Recommendation) -> list[tuple[Span, list[str]]]:
    spans = split_sentences(text, rec.span[0], rec.span[1]) or [rec.span]
    return [((s, e), WORD.findall(text[s:e])) for s, e in spans]


def measure(text: str, recommendations: list[Recommendation]) -> Readability:
    """How readable the recommendations of the record `text` are for the child."""
    result = Readability()
    record = _Record(text)
    limit = limits()["sentence_words"]
    for rec in recommendations:
        for span, words in _sentences(text, rec):
            if not words:
                continue
            result.sentences += 1
            result.words += len(words)
            result.syllables += sum(syllables(w) for w in words)
            result.longest_sentence_words = max(result.longest_sentence_words, len(words))
            if len(words) > limit:
                result.long_sentences.append(LongSentence(rec.id, span, len(words)))
        jargon = _jargon(rec)
        result.jargon.extend(jargon)
        result.abbreviations.extend(_unexplained(rec, record, jargon))
    return result
