"""The fast phrase index must count exactly what the phrase regex finds, on any text."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recqual import vocab

DOMAIN_WORDS = vocab.load("domains")
GROUPS = {**DOMAIN_WORDS["domains"], "concern": DOMAIN_WORDS["concern_cues"], "positive": DOMAIN_WORDS["positive_cues"]}
INDEX = vocab.PhraseIndex(GROUPS)
PATTERNS = {g: re.compile(vocab.phrase_pattern(ps), re.IGNORECASE) for g, ps in GROUPS.items()}


def regex_counts(text: str) -> dict[str, int]:
    return {g: n for g, p in PATTERNS.items() if (n := len(p.findall(text)))}


def test_counts_match_the_regex_on_corpus_records() -> None:
    corpus = Path(__file__).parent.parent / "corpus" / "annotated" / "dev.jsonl"
    texts = [json.loads(line)["text"] for line in corpus.read_text(encoding="utf-8").splitlines()]
    for text in texts:
        for line in text.splitlines():
            assert INDEX.counts(line) == regex_counts(line), line


def test_overlapping_phrases_count_once_and_longest_first() -> None:
    index = vocab.PhraseIndex({"a": ["life story", "life story book", "story"], "b": ["book*"]})
    assert index.counts("The Life Story Book is unfinished; books and a story.") == {"a": 2, "b": 2}


def test_a_phrase_that_cannot_begin_a_word_is_refused() -> None:
    with pytest.raises(ValueError, match="must begin"):
        vocab.PhraseIndex({"a": ["(?:permanence|permanency) plan"]})


WORDS = sorted({w for ps in GROUPS.values() for p in ps for w in re.findall(r"[a-z0-9%'’&.+:-]+", p.lower())})


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS) | st.sampled_from([" ", ", ", ". ", "-", "x", "s", "ing", "(", "7", "%"]), max_size=25))
def test_counts_match_the_regex_on_any_mix_of_vocabulary(parts: list[str]) -> None:
    text = " ".join(parts)
    assert INDEX.counts(text) == regex_counts(text)
