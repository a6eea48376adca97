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
    parts = []
    for p in sorted({p.lower() for p in phrases}, key=len, reverse=True):
        if "(?:" in p or "[0-9]" in p:
            body = p.replace(" ", r"\s+")
        else:
            body = re.escape(p.rstrip("*")).replace(r"\ ", r"\s+")
            if p.endswith("*"):
                body += r"\w*"
        parts.append(body)
    return r"(?<![\w])(?:" + "|".join(parts) + r")(?![\w])"


@functools.cache
def compiled(name: str, key: str) -> re.Pattern[str]:
    """A case-insensitive whole-word pattern for the phrase list `key` of file `name`."""
    return re.compile(phrase_pattern(load(name)[key]), re.IGNORECASE)
