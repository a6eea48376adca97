"""Whether one recommendation bundles separate actions: coordinated action verbs, each with its own
object, or a second owner with their own action, at the clause boundaries of the parse."""

from __future__ import annotations

import functools
from typing import Any

from recqual import vocab
from recqual.extract import owner as owners
from recqual.nlp import syntax

# Where one clause ends and the next begins inside a recommendation.
COORDINATORS = {",", ";", "and", "then", "also", "&", "plus", "–", "-"}
# The first words of an object: an action verb followed by one of these has something to act on.
NOT_ACTIONS = {"be", "have", "get"}  # "to be agreed" is passive: no action of its own
PARTICLES = {"for", "up", "off", "out", "on", "in", "with"}  # "apply for", "follow up", "carry out"
OBJECT_TAGS = ("DT", "PRP", "PRP$", "NN", "NNS", "NNP", "NNPS", "CD", "JJ", "POS")


@functools.cache
def _action_verbs() -> frozenset[str]:
    """Single-word action verbs from the vocabulary (concrete, vague and other headline verbs)."""
    phrases = vocab.load("phrases")
    words = phrases["concrete_actions"] + phrases["vague_actions"] + phrases["other_verbs"]
    return frozenset(w.lower() for w in words if " " not in w) - NOT_ACTIONS


def _has_object(doc: Any, i: int) -> bool:
    """Whether the verb at `i` has words of its own to act on before the next clause boundary."""
    if i + 1 >= len(doc) or doc[i + 1].lower_ in COORDINATORS:
        return False
    # A particle ("contact with") makes an object only for a word the parse reads as a verb.
    return doc[i + 1].tag_ in OBJECT_TAGS or (doc[i + 1].lower_ in PARTICLES and doc[i].tag_.startswith("VB"))


def _is_verb(token: Any) -> bool:
    """An action verb by the vocabulary that the parse does not read as a plural or proper noun or a
    past form. The parser, trained on web English, often tags headline verbs as singular nouns ("and
    start/NN life story work"), so that tag does not veto; a bare noun after "and" ("the PEP and
    review") has no object of its own and is left out by `_has_object`."""
    return token.lower_ in _action_verbs() and token.tag_ not in ("NNS", "NNP", "NNPS", "VBN", "VBD", "VBG")


def _own_owner(doc: Any, after: int, link: int, people: dict[str, str] | None) -> bool:
    """Whether the words between the last clause boundary after token `after` and the link word at
    `link` name an owner of their own ("...; the virtual school to fund tuition")."""
    k = max((t.i for t in doc[after + 1 : link] if t.lower_ in COORDINATORS), default=None)
    if k is None or k + 1 >= link:
        return False
    phrase = doc[k + 1 : link].text
    # A role, not any name: "meet Efua and Mrs Hepworth to explain" names whom to meet.
    return len(phrase.split()) <= 4 and owners.is_owner(phrase, people) and owners.role_of(phrase, people) is not None


def actions(text: str, people: dict[str, str] | None = None) -> list[tuple[int, int]]:
    """Character spans of the separate actions in one recommendation: its first action verb, and
    each action verb after a clause boundary with its own object (a verb after "to" that follows
    an action is its purpose, "refer to CAMHS to support her sleep", not a second action)."""
    doc = syntax.parse(text)
    heads: list[int] = []
    for token in doc:
        prev = doc[token.i - 1] if token.i else None
        if not heads:
            if _is_verb(token) and (prev is None or prev.lower_ in ("to", "will", "should", "must", "shall")):
                heads.append(token.i)
            continue
        # Skip "to" and "then" after the boundary: "..., and to find", "and then contact".
        j = token.i - 1
        while j > heads[-1] and doc[j].lower_ in ("to", "then", "also", "will", "should"):
            j -= 1
        if not _is_verb(token):
            continue
        coordinated = j > heads[-1] and doc[j].lower_ in COORDINATORS and _has_object(doc, token.i)
        owned = prev is not None and prev.lower_ in ("to", "will") and _own_owner(doc, heads[-1], prev.i, people)
        if coordinated or owned:
            heads.append(token.i)
    spans = []
    for n, i in enumerate(heads):
        end_token = heads[n + 1] if n + 1 < len(heads) else len(doc)
        words = [t for t in doc[i:end_token] if not (t.is_punct or t.lower_ in COORDINATORS)]
        while len(words) > 1 and words[-1].lower_ in ("to", "then", "also", "will", "should", "and"):
            words.pop()
        spans.append((doc[i].idx, words[-1].idx + len(words[-1].text)))
    return spans
