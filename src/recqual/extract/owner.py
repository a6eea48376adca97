"""The owner of a recommendation: who must act, as written, normalised to a role code."""

from __future__ import annotations

import functools
import re

from recqual import vocab
from recqual.report import Owner

# The verb phrase that follows an owner at the start of an action ("SW to", "Mrs Tolland will").
LINK = (
    r"(?:to|will|shall|should|must|would|agreed to|has agreed to|have agreed to|have agreed|has agreed|"
    r"is to|are to|needs to|need to|is going to|are going to|'ll|is asked to|are asked to|has been asked to|"
    r"have been asked to|is requested to|are requested to|has offered to|have offered to|offered to|"
    r"said (?:she|he|they) would|said (?:she|he|they) will|is responsible for|are responsible for|to continue to|will continue to)"
)
SUBJECT = re.compile(rf"^(?P<owner>[^.;:!?\n]{{1,90}}?)\s*(?P<link>{LINK})\s+(?!be\b)", re.IGNORECASE)
AGENT = re.compile(
    r"\b(?:be|been|being|is|are|was|were)\s+(?:\w+ly\s+)?\w+(?:ed|en|t|de)\s+(?:[\w ,'-]{0,60}?\s)?by\s+(?P<owner>(?:the\s+)?[A-Z][\w'’.-]*(?:\s+[A-Za-z(][\w'’.)-]*){0,5})"
)
# "to be arranged by carers": a lower-case role as the passive agent
LOWER_AGENT = re.compile(
    r"\b(?:be|been|being|is|are|was|were)\s+(?:\w+ly\s+)?\w+(?:ed|en|t|de)\s+by\s+(?P<owner>(?:the\s+)?[a-z][\w'’]*(?:\s+[a-z][\w'’]*){0,3})"
)
TRAILING = re.compile(
    r"(?:[-–—:(]|\b(?:responsible|lead|who|owner|by whom|action by|actioned by|person responsible)\s*[:\-–]?)\s*(?P<owner>[A-Za-z][\w'’/&. ]{0,50}?)\s*\)?\s*(?:[-–,;.]|\bby\b|\bwithin\b|\bbefore\b|$)",
    re.IGNORECASE,
)
LEAD_INS = re.compile(
    r"^(?:(?:it was|it is|it has been)\s+(?:agreed|recommended|decided|confirmed|noted)(?:\s+by\s+all)?\s+(?:that\s+)?|"
    r"(?:the\s+)?(?:iro|review|meeting|chair)\s+(?:has\s+)?(?:agreed|recommended|recommends|decided|requested|asked)\s+(?:that\s+)?|"
    r"(?:that|and|also|then|so|therefore|finally|firstly|secondly|additionally)\s+|agreed\s*[:\-–]\s*|action\s*[:\-–]+\s*)+",
    re.IGNORECASE,
)
NOT_NAMES = {
    "the", "a", "an", "this", "that", "these", "those", "there", "it", "contact", "school", "placement", "health",
    "education", "life", "referral", "pep", "plan", "care", "review", "next", "all", "any", "each", "every", "both",
    "his", "her", "their", "our", "my", "your", "if", "when", "once", "after", "before", "following", "further",
    "direct", "sibling", "family", "consideration", "work", "support", "assessment", "application", "funding",
    "letterbox", "therapy", "tuition", "monthly", "weekly", "no", "yes", "please", "ensure", "consider", "explore",
    "monitor", "arrange", "complete", "refer", "book", "request", "update", "continue", "continued", "ongoing",
}  # fmt: skip


@functools.cache
def _role_pattern() -> re.Pattern[str]:
    return re.compile(vocab.phrase_pattern([p for ps in vocab.load("roles")["roles"].values() for p in ps]), re.IGNORECASE)


@functools.cache
def _role_of_phrase() -> dict[str, str]:
    return {p.lower(): role for role, ps in vocab.load("roles")["roles"].items() for p in ps}


@functools.cache
def _vague_owner() -> re.Pattern[str]:
    return re.compile(r"^(?:" + vocab.phrase_pattern(vocab.load("roles")["vague_owners"]) + r")$", re.IGNORECASE)


# A named person or role opening a clause with its verb: "Dana Okafor refers ...", "Ms Hart arranges ...".
NAMED_SUBJECT = re.compile(r"^(?P<owner>(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’()-]+){0,3})\s+(?P<verb>(?-i:[a-z]+))\b")
TITLE = re.compile(r"\b(?:mr|mrs|ms|miss|mx|dr|prof)\.?\s+[A-Z]", re.IGNORECASE)


def role_of(text: str, people: dict[str, str] | None = None) -> str | None:
    """The role code named in `text` (the leftmost role word), or a known person's role."""
    if re.fullmatch(r"\s*i\s*", text, re.IGNORECASE):
        return "iro"
    m = _role_pattern().search(text)
    if m:
        word = re.sub(r"\s+", " ", m.group().lower())
        if word != "you" or text.strip().lower() == "you":
            return _role_of_phrase().get(word)
    for name in re.findall(r"[A-Z][a-z'’-]+", text):
        if people and name in people:
            return people[name]
    return None


def looks_like_name(text: str) -> bool:
    """A person's name: a title and surname, or capitalised words that are not common words."""
    if TITLE.search(text):
        return True
    words = re.findall(r"[A-Za-z'’-]+", text)
    caps = [w for w in words if w[0].isupper() and not w.isupper()]
    return (
        bool(caps)
        and caps[0].lower() not in NOT_NAMES
        and len(words) <= 5
        and all(w[0].isupper() or w.lower() in {"and", "of", "the", "&"} for w in words[: len(caps) + 1] if w)
    )


def is_vague(text: str) -> bool:
    cleaned = re.sub(r"[^\w/?&' ]", " ", text).strip()
    cleaned = re.sub(r"\s+", " ", cleaned)
    return not cleaned or bool(_vague_owner().match(cleaned)) or cleaned.lower() in {"all", "tbc", "n/a", "na", "-"}


def is_owner(text: str, people: dict[str, str] | None = None) -> bool:
    """Whether `text` names someone who can act (a role, a person, 'I' or 'you' in a letter)."""
    text = text.strip()
    if not text or len(text.split()) > 10 or is_vague(text):
        return False
    if text.lower() in {"i", "you"}:
        return True
    return role_of(text, people) is not None or looks_like_name(text)


def _strip_owner(text: str) -> tuple[int, int]:
    """Offsets of `text` without leading articles-of-speech and trailing punctuation."""
    start = len(text) - len(text.lstrip(" \t-–•*(\"'"))
    end = len(text.rstrip(" \t,;:-–"))
    return start, max(start, end)


def from_cell(text: str, offset: int, people: dict[str, str] | None = None) -> Owner | None:
    """The owner written in a "Responsible" cell or field; None when empty or vague."""
    s, e = _strip_owner(text)
    value = text[s:e]
    if not value or is_vague(value):
        return None
    return Owner(value, (offset + s, offset + e), role_of(value, people))


def from_text(text: str, offset: int, people: dict[str, str] | None = None) -> Owner | None:
    """The owner inside a recommendation's own words, or None (passive, vague or nobody)."""
    lead = LEAD_INS.match(text)
    skip = lead.end() if lead else 0
    body = text[skip:]
    m = SUBJECT.match(body)
    if m:
        s, e = _strip_owner(m["owner"])
        candidate = m["owner"][s:e]
        if is_vague(candidate):
            return None
        role_after_preposition = re.match(r"^[^,(]*?\b(?:with|for|of|about|from|between|to|at|in)\s", candidate, re.IGNORECASE) and not looks_like_name(
            candidate
        )
        if is_owner(candidate, people) and not re.match(r"(?:a|an)\s", candidate, re.IGNORECASE) and not role_after_preposition:
            return Owner(candidate, (offset + skip + s, offset + skip + e), role_of(candidate, people))
    if lead:  # "recommended that Dana Okafor refers ..." names its owner without a linking verb
        m = NAMED_SUBJECT.match(body)
        if m and m["verb"].endswith("s") and is_owner(m["owner"], people):
            return Owner(m["owner"], (offset + skip, offset + skip + len(m["owner"])), role_of(m["owner"], people))
    m = AGENT.search(body) or LOWER_AGENT.search(body)
    if m:
        raw = m["owner"]
        cut = re.search(r"\s+(?:by|before|within|in|on|at|for|to|and (?:to|then))\b|[,;.(]", raw)
        candidate = raw[: cut.start()] if cut else raw
        if is_owner(candidate, people):
            start = offset + skip + m.start("owner")
            return Owner(candidate, (start, start + len(candidate)), role_of(candidate, people))
    for m in TRAILING.finditer(body):
        candidate = m["owner"].strip()
        if candidate and role_of(candidate, people) and len(candidate.split()) <= 6 and not is_vague(candidate):
            start = offset + skip + m.start("owner")
            return Owner(candidate, (start, start + len(candidate)), role_of(candidate, people))
    return None
