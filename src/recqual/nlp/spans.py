"""The trained OWNER and DEADLINE span model (models/spans), loaded once, read over one recommendation at a time."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from recqual.nlp import models

LABELS = ("OWNER", "DEADLINE")


@dataclass(frozen=True)
class Found:
    label: str  # OWNER or DEADLINE
    start: int  # character offsets into the record
    end: int


@functools.cache
def pipeline() -> Any:
    """The spaCy span pipeline, loaded once per process."""
    import spacy

    folder = models.path("spans")
    if not folder.exists():
        raise models.ModelMissing(f"{folder} is missing: run `recqual train --only spans` or use --method rules")
    return spacy.load(folder)


def window(span: tuple[int, int], region: tuple[int, int] | None) -> tuple[int, int]:
    """What the model reads for one recommendation: its whole row, list item or form when the layout
    gives one (owner and deadline are often written there), otherwise its own words. The same
    window is used in training and at run time."""
    if region is None:
        return span
    return min(span[0], region[0]), max(span[1], region[1])


def find(text: str, span: tuple[int, int], region: tuple[int, int] | None = None) -> list[Found]:
    """The OWNER and DEADLINE spans the model finds in a recommendation's window, in order."""
    s, e = window(span, region)
    doc = pipeline()(text[s:e])
    return [Found(ent.label_, s + ent.start_char, s + ent.end_char) for ent in doc.ents if ent.label_ in LABELS]


class Reading:
    """The model's spans for one recommendation, read only when a caller first asks for them
    (in the combined method most recommendations never need it)."""

    def __init__(self, text: str, span: tuple[int, int], region: tuple[int, int] | None) -> None:
        self.text, self.span, self.region = text, span, region
        self._found: list[Found] | None = None

    def spans(self, label: str) -> list[tuple[int, int]]:
        if self._found is None:
            self._found = find(self.text, self.span, self.region)
        return [(f.start, f.end) for f in self._found if f.label == label]
