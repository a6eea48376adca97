"""The editable vocabulary: roles, vague phrases, headings, domain words and the flag catalogue.

The words live in YAML files beside this module so that an organisation can read and change
them; this module only loads them (once) and compiles them into patterns.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import yaml

VOCAB_DIR = Path(__file__).parent


@functools.cache
def load(name: str) -> dict[str, Any]:
    """The parsed contents of `<name>.yaml` in the vocabulary folder."""
    with (VOCAB_DIR / f"{name}.yaml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def phrase_pattern(phrases: list[str]) -> str:
    """One alternation matching any of `phrases` as whole words, longest first.

    A phrase may end in `*` (any word ending) or contain a regular-expression group
    written `(?:...)`; everything else is literal.
    """
    return r"(?<![\w])" + _alternatives(phrases)


def _alternatives(phrases: list[str]) -> str:
    """`phrase_pattern` without its word-start check: the alternation and the word-end check."""
    parts = []
    for p in sorted({p.lower() for p in phrases}, key=len, reverse=True):
        if "(?:" in p or "[0-9]" in p:
            body = p.replace(" ", r"\s+")
        else:
            body = re.escape(p.rstrip("*")).replace(r"\ ", r"\s+")
            if p.endswith("*"):
                body += r"\w*"
        parts.append(body)
    return r"(?:" + "|".join(parts) + r")(?![\w])"


_WORD_START = re.compile(r"(?<!\w)\w")
_LITERAL_START = re.compile(r"\w\w(?![*?+{])")


class PhraseIndex:
    """Counts whole-word matches of several phrase lists in one pass over a text.

    The counts are exactly `len(re.findall(phrase_pattern(phrases), text, re.IGNORECASE))` per
    list, but found faster: Python's `re` tries every alternative of a long alternation at every
    position, so a dozen lists of a hundred phrases cost most of the analyser's time. Here each
    word start looks up, by its first two letters, the few phrases that could begin there.
    """

    def __init__(self, groups: dict[str, list[str]]) -> None:
        keyed: dict[str, dict[str, list[tuple[int, str]]]] = {}
        anywhere: dict[str, list[tuple[int, str]]] = {}
        for group, phrases in groups.items():
            for rank, phrase in enumerate(sorted({x.lower() for x in phrases}, key=len, reverse=True)):
                if not re.match(r"\w|\[[0-9]-[0-9]\]", phrase):
                    raise ValueError(f"{phrase!r}: a phrase must begin with a letter, a digit or a digit range such as [0-9]")
                if _LITERAL_START.match(phrase):  # two letters, neither made optional or repeated
                    keyed.setdefault(phrase[:2], {}).setdefault(group, []).append((rank, phrase))
                else:
                    anywhere.setdefault(group, []).append((rank, phrase))
        self._default = {g: self._compile(ps) for g, ps in anywhere.items()}
        self._table = {
            key: {g: self._compile(by_group.get(g, []) + anywhere.get(g, [])) for g in set(by_group) | set(anywhere)} for key, by_group in keyed.items()
        }

    @staticmethod
    def _compile(ranked: list[tuple[int, str]]) -> re.Pattern[str]:
        # No word-start check: matches are only tried at word starts.
        return re.compile(_alternatives([p for _, p in sorted(ranked)]), re.IGNORECASE)

    def counts(self, text: str) -> dict[str, int]:
        """How many matches of each phrase list `text` contains (lists with none are left out)."""
        found: dict[str, int] = {}
        ends: dict[str, int] = {}
        for start in _WORD_START.finditer(text):
            p = start.start()
            for group, pattern in self._table.get(text[p : p + 2].lower(), self._default).items():
                if p < ends.get(group, 0):
                    continue
                m = pattern.match(text, p)
                if m:
                    found[group] = found.get(group, 0) + 1
                    ends[group] = m.end()
        return found


@functools.cache
def compiled(name: str, key: str) -> re.Pattern[str]:
    """A case-insensitive whole-word pattern for the phrase list `key` of file `name`."""
    return re.compile(phrase_pattern(load(name)[key]), re.IGNORECASE)
