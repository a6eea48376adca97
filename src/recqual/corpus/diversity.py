"""How varied the corpus is: distinct n-grams, and sentences or long n-grams repeated across children (template-like text)."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def _ngrams(tokens: list[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]


def diversity(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Distinct-n ratios over the corpus, and how much text is shared between different children."""
    out: dict[str, Any] = {}
    all_tokens = [t for r in records for t in _tokens(r["text"])]
    for n in (1, 2, 3):
        grams = _ngrams(all_tokens, n)
        out[f"distinct_{n}"] = round(len(set(grams)) / max(1, len(grams)), 3)
    # Sentences of 8+ words found in the records of more than one child: a sign of a template.
    owners: dict[str, set[str]] = defaultdict(set)
    sentence_count = 0
    for r in records:
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", r["text"]):
            words = _tokens(sentence)
            if len(words) >= 8:
                sentence_count += 1
                owners[" ".join(words)].add(r["meta"]["child_id"])
    shared = [s for s, kids in owners.items() if len(kids) > 1]
    out["sentences_8plus_words"] = sentence_count
    out["sentences_shared_across_children"] = len(shared)
    # 6-grams used by 5 or more children.
    by_child: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for r in records:
        by_child[r["meta"]["child_id"]].update(_ngrams(_tokens(r["text"]), 6))
    spread = Counter(g for grams in by_child.values() for g in grams)
    common = [g for g, k in spread.items() if k >= 5]
    out["sixgrams_in_5plus_children"] = len(common)
    out["sixgrams_total_distinct"] = len(spread)
    out["most_shared_sixgrams"] = [" ".join(g) for g, _ in spread.most_common(5)]
    return out
