"""Flags on how the recommendations read for the child: long sentences, jargon, unexplained abbreviations, a high reading age."""

from __future__ import annotations

from recqual.checks.catalogue import make
from recqual.readability import Readability, limits
from recqual.report import Flag


def check(readable: Readability) -> list[Flag]:
    """One flag for each long sentence, jargon word and unexplained abbreviation, in text order; then hard_to_read."""
    found = [(s.span, make("long_sentence", s.span, s.recommendation, words=s.words, limit=limits()["sentence_words"])) for s in readable.long_sentences]
    found += [(f.span, make("jargon", f.span, f.recommendation, term=f.text, plain=f.plain)) for f in readable.jargon]
    found += [
        (f.span, make("unexplained_abbreviation", f.span, f.recommendation, abbreviation=f.text, meaning=f" ('{f.means}')" if f.means else ""))
        for f in readable.abbreviations
    ]
    flags = [flag for _, flag in sorted(found, key=lambda pair: pair[0])]
    if readable.hard_to_read:
        flags.append(make("hard_to_read", None, age=readable.reading_age, grade=f"{readable.grade_level:.1f}", limit=limits()["reading_age"]))
    return flags
