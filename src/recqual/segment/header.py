"""Metadata from the record's header: review dates, review number, the child's name, the IRO, and who is who."""

from __future__ import annotations

import datetime as dt
import re

from recqual.extract.dates import find_dates
from recqual.extract.owner import role_of
from recqual.report import Metadata

HEAD_CHARS = 3000  # the front sheet; labelled fields further down are usually quoted history

FIELD = r"[ \t]*(?:\([^)\n]*\))?[ \t]*[:\-–|\t][ \t|]*"
REVIEW_DATE = re.compile(
    r"(?<!previous )(?<!last )(?<!next )(?<!prior )(?<!first )(?:date of (?:this |the )?(?:review|meeting|lac review|cla review|review meeting)|(?:review|meeting) date|date of (?:this )?(?:statutory )?review|"
    r"(?:^|(?<=\s\s)|(?<=\|)|(?<=\| )|(?<=\t))(?:your\s+)?(?:this\s+)?(?:review|meeting)|(?:^|(?<=\s\s)|(?<=\|)|(?<=\| )|(?<=\t))date(?:/time|\s*&\s*time|\s+and\s+time)?(?!\s+of\s+birth)|review held(?: on)?|date held|held on|meeting held on)"
    + FIELD
    + r"(?P<v>[^\n|]{0,70})",
    re.IGNORECASE | re.MULTILINE,
)
PROSE_REVIEW = re.compile(
    r"\b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d{1,2}(?:st|nd|rd|th))\s+review\s*[,:\-–]\s*(?P<v>[^\n]{0,40})", re.IGNORECASE
)
NEXT_REVIEW = re.compile(
    r"(?:(?:date of |date for )?(?:the )?next (?:statutory |lac |cla |looked after |child in care )?review(?: meeting)?(?: date)?(?: will be)?(?: held)?(?: on| is| set for| booked for| arranged for| scheduled for)?|next review due|next rv)"
    r"[ \t]*(?:\([^)\n]*\))?[ \t]*[:\-–|\t]?[ \t|]*(?P<v>[^\n|]{0,80})",
    re.IGNORECASE,
)
PROSE_HELD = re.compile(
    r"\b(?:held|took place|was held|met)\s+(?:on\s+)?(?:\w+day\s+)?(?P<v>\d{1,2}(?:st|nd|rd|th)?\s+\w+\s+\d{4}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})", re.IGNORECASE
)
DOB = re.compile(r"(?:\bd\.?o\.?b\b\.?|date of birth|\bborn(?: on)?)(?:" + FIELD + r"|[ \t]+)(?P<v>[^\n|]{0,40})", re.IGNORECASE)
NUMBER = re.compile(
    r"(?:review (?:number|no\.?|#)|number of (?:this )?review|review type)" + FIELD + r"(?P<v>[^\n|]{0,40})"
    r"|\b(?P<ord>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|\d{1,2}(?:st|nd|rd|th))\s+(?:statutory\s+|looked after\s+|lac\s+|cla\s+|child in care\s+)?review",
    re.IGNORECASE,
)
ORDINALS = {
    w: i for i, w in enumerate(["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth"], 1)
}
CHILD = re.compile(
    r"(?:child(?:'s|’s)? (?:full )?name|name of (?:the )?(?:child|young person)|young person(?:'s|’s)? name|^name|^child|^young person)"
    + FIELD
    + r"(?P<v>[A-Z][\w'’-]+)",
    re.IGNORECASE | re.MULTILINE,
)
DEAR = re.compile(r"^\s*(?:dear|hello|hi)\s+(?P<v>[A-Z][\w'’-]+)", re.IGNORECASE | re.MULTILINE)
IRO = re.compile(
    r"(?i:independent reviewing officer|reviewing officer|\biro\b|chair(?:ed by|person)?)(?i:\s*\(iro\))?"
    + FIELD
    + r"(?P<v>(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?[ \t]+)?[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+){0,2})",
    re.MULTILINE,
)
PERSON_ROLE = re.compile(
    r"(?P<name>(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+)?[A-Z][a-z'’-]+(?:[ \t]+[A-Z][a-z'’-]+){0,2})[ \t]*(?:\(|,|[-–—]|:)\s*(?P<role>[A-Za-z][\w '’/-]{1,40})"
    r"|(?P<role2>[A-Za-z][\w '’/()-]{1,40}?)[ \t]*[:\-–—][ \t]*(?P<name2>(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?[ \t]+)?[A-Z][a-z'’-]+(?:[ \t]+[A-Z][a-z'’-]+){0,2})"
)


def _first_date(value: str, anchor: dt.date | None = None) -> dt.date | None:
    for _start, _end, date, month_only in find_dates(value, anchor):
        if date is not None and not month_only:
            return date
    return None


def people(text: str) -> dict[str, str]:
    """Names mentioned with a role anywhere in the record ("Dana Okafor (social worker)"), first and last name -> role."""
    found: dict[str, str] = {}
    for m in PERSON_ROLE.finditer(text):
        name, role_text = (m["name"], m["role"]) if m["name"] else (m["name2"], m["role2"])
        if not name or not role_text:
            continue
        role = role_of(role_text)
        if role is None or role == "child":
            continue
        for part in re.findall(r"[A-Z][a-z'’-]+", name):
            if part not in {"Mr", "Mrs", "Ms", "Miss", "Mx", "Dr"}:
                found.setdefault(part, role)
    return found


def read_header(text: str) -> Metadata:
    """What the record says about the review, where it says it."""
    head = text[:HEAD_CHARS]
    meta = Metadata()
    review = None
    for m in REVIEW_DATE.finditer(head):
        review = _first_date(m["v"])
        if review:
            break
    for pattern in (PROSE_REVIEW, PROSE_HELD):
        if review is None:
            m = pattern.search(head)
            review = _first_date(m["v"]) if m else None
    meta.review_date = review.isoformat() if review else None
    for m in NEXT_REVIEW.finditer(text):
        nxt = _first_date(m["v"], review)
        if nxt and (review is None or nxt > review):
            meta.next_review_date = nxt.isoformat()
            break
    dob = next((d for m in DOB.finditer(head) if (d := _first_date(m["v"]))), None)
    meta.date_of_birth = dob.isoformat() if dob else None
    for m in NUMBER.finditer(head):
        word = (m["ord"] or m["v"] or "").lower()
        digits = re.search(r"\d{1,2}", word)
        number = int(digits.group()) if digits else next((v for k, v in ORDINALS.items() if k in word), None)
        if number:
            meta.review_number = number
            break
    m = CHILD.search(head) or DEAR.search(head)
    meta.child_first_name = m["v"] if m else None
    m = IRO.search(head) or IRO.search(text[-1500:])
    meta.iro = _name_only(m["v"]) if m else None
    return meta


def _name_only(value: str) -> str:
    """A name without the role words that follow it on the line ("Aled Morgan-Price SW" -> "Aled Morgan-Price")."""
    words = value.split()
    while len(words) > 1 and (role_of(words[-1]) is not None or words[-1].isupper() or words[-1].lower() in {"social", "independent", "reviewing"}):
        words.pop()
    return " ".join(words)
