"""The project's English syntax pipeline (models/syntax, trained on UD English EWT), loaded once,
and what the extractors read from its parse: who performs an action."""

from __future__ import annotations

import functools
from typing import Any

from recqual.extract import owner as owners
from recqual.nlp import models
from recqual.report import Owner

# The parse is all the owner needs; the lemmatizer and morphologizer are skipped for speed.
EXCLUDE = ["trainable_lemmatizer", "morphologizer"]
# Words that attach to a subject and belong to its name: "Dana Okafor", "the designated teacher".
NAME_PARTS = {"compound", "flat", "amod", "det", "nmod:poss", "nummod"}


@functools.cache
def pipeline() -> Any:
    """The spaCy pipeline, loaded once per process."""
    import spacy

    folder = models.path("syntax")
    if not folder.exists():
        raise models.ModelMissing(f"{folder} is missing: run `recqual train --only syntax` or use --method rules")
    return spacy.load(folder, exclude=EXCLUDE)


# The parses of the analysis under way: the owner, vague-action and bundled-action checks read the
# same recommendations, so each is parsed once. `models.transient` empties it when the analysis ends.
_parsed: dict[str, Any] = {}


def parse_all(texts: list[str]) -> None:
    """Parse a record's recommendations together (in a batch, half the time of one by one)."""
    todo = [t for t in dict.fromkeys(texts) if t not in _parsed]
    _parsed.update(zip(todo, pipeline().pipe(todo), strict=True))


def parse(text: str) -> Any:
    """The parse of one recommendation's text."""
    if text not in _parsed:
        _parsed[text] = pipeline()(text)
    return _parsed[text]


def forget() -> None:
    """Drop the parses of the analysis that has ended."""
    _parsed.clear()


def _phrase(token: Any) -> tuple[int, int]:
    """Character span of a noun and the words that name it with it (not its relative clauses)."""
    parts = [token] + [t for t in token.subtree if t.dep_ in NAME_PARTS and (t.head == token or t.head.dep_ in NAME_PARTS)]
    start = min(t.idx for t in parts)
    end = max(t.idx + len(t.text) for t in parts)
    return start, end


def actors(text: str, agents_only: bool = False) -> list[tuple[int, int]]:
    """Spans of who performs the actions in `text`, in order: passive agents ("by the social worker"),
    subjects of action verbs ("Dana Okafor will refer"), and the head of a headline ("Carers to arrange")."""
    doc = parse(text)
    agents, others = [], []
    for token in doc:
        if token.dep_ == "obl:agent":
            agents.append(_phrase(token))
        elif agents_only:
            continue
        elif token.dep_ == "nsubj" and token.head.tag_.startswith("VB"):
            others.append(_phrase(token))
        elif token.dep_ == "acl" and token.tag_ == "VB" and token.head.i < token.i and any(c.dep_ == "mark" and c.lower_ == "to" for c in token.children):
            others.append(_phrase(token.head))
    # A passive agent names who acts even when a subject comes first ("The PEP to be updated by the DT").
    return agents + others


def owner_from_parse(text: str, offset: int, people: dict[str, str] | None = None, agents_only: bool = False) -> Owner | None:
    """The first actor the parse finds that is a role or a named person, as an Owner
    (`agents_only`: only passive agents, "to be completed by the social worker")."""
    for start, end in actors(text, agents_only):
        phrase = text[start:end]
        if owners.is_owner(phrase, people):
            return owners.from_cell(phrase, offset + start, people)
    return None


# Dependents a common noun takes when it names a thing acted on, not an action ("... assessment request").
NOMINAL = {"obj", "compound", "nmod", "obl", "conj"}


def noun_uses(text: str) -> set[tuple[int, int]]:
    """Character spans of the words the parse reads as common nouns naming things, so that a word that
    can be an action verb ("request", "review", "plan") is not taken for one where it is a noun."""
    return {(t.idx, t.idx + len(t.text)) for t in parse(text) if t.tag_ in ("NN", "NNS") and t.dep_ in NOMINAL}
