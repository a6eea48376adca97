"""Candidate recommendations in every shape records use: tables, lists, forms, narrative, letters, inline ACTIONs.

Each candidate keeps the span of its action text and, where the layout gives them, the spans
of its owner and deadline cells or fields; the extractors read those first.
"""

from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from recqual import vocab
from recqual.extract.owner import LINK, NAMED_SUBJECT, is_owner, is_vague
from recqual.segment.lines import Line
from recqual.segment.sections import Section

Span = tuple[int, int]


@dataclass
class Item:
    shape: str  # table | list | form | narrative | letter | inline
    span: Span
    owner_span: Span | None = None
    deadline_span: Span | None = None
    region: Span | None = None  # the whole row, item or form: where owner and deadline may be written


# ---- tables -------------------------------------------------------------------------------

HEADER_CELLS = [
    ("number", re.compile(r"^(?:no\.?|#|ref\.?|number|item|rec\.?(?:ommendation)?\s*(?:no\.?|number|#)|num)$", re.I)),
    ("owner", re.compile(r"responsib|^resp\b|^who\b|by whom|\blead\b|owner|person|worker|agency|accountable|action by|actioned by", re.I)),
    ("deadline", re.compile(r"timescale|by when|^when|deadline|date|target|time ?frame|^due|review by|completion", re.I)),
    ("status", re.compile(r"status|progress|^rag\b|update|achieved|^met\b|comments?|evidence", re.I)),
    ("action", re.compile(r"recommendation|action|decision|task|^what\b|agreed|outcome|description|need|plan|detail", re.I)),
]
SEPARATOR_CELL = re.compile(r"^[\s:=\-–—+]*$")


def row_cells(line: Line) -> list[Span] | None:
    """Cell spans of a pipe- or tab-separated row, or None if the line is not a table row."""
    raw = line.text
    if raw.count("|") >= 2 or (raw.count("|") == 1 and not raw.strip().startswith("|")):
        sep = "|"
    elif "\t" in raw.strip():
        sep = "\t"
    else:
        return None
    spans, pos = [], 0
    for part in raw.split(sep):
        spans.append((line.start + pos, line.start + pos + len(part)))
        pos += len(part) + 1
    if sep == "|":
        if raw.strip().startswith("|"):
            spans = spans[1:]
        if raw.strip().endswith("|"):
            spans = spans[:-1]
    return spans if len(spans) >= 2 else None


def strip_span(text: str, span: Span) -> Span:
    s, e = span
    while s < e and text[s] in " \t*\r\n":
        s += 1
    while e > s and text[e - 1] in " \t*\r\n":
        e -= 1
    return s, e


def _header_roles(text: str, cells: list[Span]) -> list[str | None] | None:
    roles: list[str | None] = []
    for span in cells:
        value = text[span[0] : span[1]].strip(" *").strip()
        role = None
        if len(value) <= 40:
            role = next((name for name, pattern in HEADER_CELLS if value and pattern.search(value)), None)
        roles.append(role)
    named = [r for r in roles if r]
    return roles if len(named) >= 2 and "action" in roles or ("owner" in roles and "deadline" in roles) else None


def _guess_roles(text: str, rows: list[list[Span]]) -> list[str | None]:
    """Column roles of a table with no header row, from what the cells hold."""
    from recqual.extract import deadline as dl

    width = max(len(r) for r in rows)
    scores = {"owner": [0] * width, "deadline": [0] * width, "length": [0] * width, "number": [0] * width}
    for row in rows:
        for i, span in enumerate(row):
            value = text[span[0] : span[1]].strip()
            scores["length"][i] += len(value)
            if re.fullmatch(r"\(?\d{1,2}[.)]?|[a-z][.)]", value):
                scores["number"][i] += 1
            if value and len(value.split()) <= 6 and (is_owner(value) or is_vague(value)):
                scores["owner"][i] += 1
            if value and len(value) <= 40 and dl.resolve_cell(value, dl.Anchors()) is not None:
                scores["deadline"][i] += 1
    roles: list[str | None] = [None] * width
    action = max(range(width), key=lambda i: scores["length"][i])
    roles[action] = "action"
    for name in ("number", "deadline", "owner"):
        best = max((i for i in range(width) if roles[i] is None), key=lambda i: scores[name][i], default=None)
        if best is not None and scores[name][best] >= max(1, len(rows) // 2):
            roles[best] = name
    return roles


def parse_table(text: str, rows: list[list[Span]]) -> list[Item]:
    rows = [r for r in rows if not all(SEPARATOR_CELL.match(text[s:e]) for s, e in r)]
    if not rows:
        return []
    roles = _header_roles(text, rows[0])
    if roles is not None:
        rows = rows[1:]
    else:
        roles = _guess_roles(text, rows)
    if "action" not in roles or "status" in roles and "owner" not in roles and "deadline" not in roles:
        return []

    def cell(row: list[Span], role: str) -> Span | None:
        if role not in roles:
            return None
        i = roles.index(role)
        return strip_span(text, row[i]) if i < len(row) else None

    items: list[Item] = []
    for row in rows:
        action = cell(row, "action")
        if action is None:
            continue
        number, owner, deadline = cell(row, "number"), cell(row, "owner"), cell(row, "deadline")
        empty = [c is None or c[0] == c[1] for c in (number, owner, deadline)]
        if items and action[0] < action[1] and all(empty) and ("number" in roles or text[action[0]].islower()):
            # a cell wrapped onto the next row: the same recommendation
            prev = items[-1]
            prev.span = (prev.span[0], action[1])
            prev.region = (prev.region[0], row[-1][1]) if prev.region else None
            continue
        if action[0] == action[1]:
            continue
        items.append(
            Item(
                "table",
                action,
                owner if owner and owner[0] < owner[1] else None,
                deadline if deadline and deadline[0] < deadline[1] else None,
                (row[0][0], row[-1][1]),
            )
        )
        if owner is not None and owner[0] == owner[1]:
            items[-1].owner_span = owner  # an empty owner cell: no owner, and no looking elsewhere
        if deadline is not None and deadline[0] == deadline[1]:
            items[-1].deadline_span = deadline
    return items


# ---- forms, lists, sentences --------------------------------------------------------------

FORM_START = re.compile(
    r"^\s*(?:\d{1,2}[.)]\s*|[-•*]\s*)?(?:agreed\s+)?(?:action|recommendation|decision|task)\s*(?:no\.?\s*)?\d{0,2}\s*[:\-–]\s*",
    re.I,
)
FORM_OWNER = re.compile(
    r"^\s*(?:[-•*]\s*)?(?:responsible(?: person)?|responsibility|lead(?: professional| person| agency)?|who|by whom|person responsible|owner|action(?:ed)? by|assigned to)\s*[:\-–]\s*",
    re.I,
)
FORM_DEADLINE = re.compile(
    r"^\s*(?:[-•*]\s*)?(?:by when|by|timescale|deadline|target(?: date)?|when|date|due(?: date)?|completion date|time ?frame|to be completed by|complete by)\s*[:\-–]\s*",
    re.I,
)
FORM_OTHER = re.compile(r"^\s*(?:[-•*]\s*)?[A-Z][\w /'’()]{1,30}\s*:\s")
INLINE_LABEL = re.compile(
    r"(?:^|[.;,|]\s*|\s[-–]\s*|\s\(|\s)(?P<label>responsible|lead|who|by whom|owner|by when|timescale|deadline|target date|due)\s*[:\-–]\s*",
    re.I,
)
LIST_MARKER = re.compile(
    r"^\s*(?:(?:\d{1,2}|(?-i:[a-z])|(?-i:[ivx]{1,4}))[.)](?!\d)|\((?:\d{1,2}|[a-z]|[ivx]{1,4})\)|[-*•·–▪►✓]|(?:recommendation|rec|action|decision)\s*\d{1,2}\s*[:.)\-–]?)\s+",
    re.I,
)
INLINE_ACTION = re.compile(r"\b(?:ACTION|Action|AGREED ACTION|Agreed action|ACTIONS?)\s*(?:[-:–—]+\s*|\s+(?=[A-Z]{2,}\b))")
NARRATIVE = re.compile(
    r"\b(?:it\s+(?:was|is|has\s+been)\s+(?:therefore\s+|also\s+)?(?:agreed|recommended|decided)(?:\s+by\s+(?:all|everyone|the\s+meeting))?(?:\s+that)?"
    r"|(?:the\s+)?(?:iro|review|meeting|chair|reviewing officer)\s+(?:has\s+|have\s+|also\s+)?(?:agreed|recommended|recommends|decided|requested|asked)(?:\s+that)?"
    r"|(?:i|we)\s+(?:have\s+)?(?:also\s+)?(?:recommended|recommend|agreed)(?:\s+that)?"
    r"|(?:everyone|all)\s+agreed(?:\s+that)?)\s+",
    re.I,
)
SENTENCE_END = re.compile(
    r"(?<!\b[Mm]rs)(?<!\b[MmDd]r)(?<!\b[Mm]s)(?<!\be\.g)(?<!\bi\.e)(?<!\betc)(?<!\bNo)(?<!\bSt)(?<!\bapprox)[.!?](?=\s+[\"“‘'(]?[A-Z0-9]|\s*$)|\n\s*\n"
)
ACTION_VERB = re.compile(rf"(?:^|\s){LINK}\s+(?:continue\s+to\s+|also\s+|now\s+|then\s+|urgently\s+|jointly\s+)?(?P<verb>(?-i:[a-z]+))\b", re.I)
PASSIVE_ACTION = re.compile(r"\b(?:to|will|should|must|needs? to)\s+be\s+(?:\w+ly\s+)?(?P<verb>[a-z]+(?:ed|en|t|de))\b", re.I)
NOT_ACTIONS = re.compile(
    r"^\s*(?:the\s+)?(?:next|date of (?:the )?next|following)\s+(?:\w+\s+)?review\b|^\s*(?:she|he|they|you)\s+(?:said|told|says|feels|felt|would like|wants|wanted|hopes?)\b"
    r"|\b(?:said|says|told me|told the|reported|explained)\s+(?:that\s+)?(?:she|he|they|i)\b|\?\s*$"
    r"|^\s*i\s+will\s+(?:come\s+and\s+)?(?:see|meet|visit|talk\s+to|speak\s+to|write\s+to)\s+you\b|\bif\s+you\s+(?:want|would like|need)\b|^\s*thank",
    re.I,
)


@functools.cache
def _verbs(key: str) -> frozenset[str]:
    return frozenset(w.split()[0].lower() for w in vocab.load("phrases")[key])


def split_sentences(text: str, start: int, end: int) -> list[Span]:
    """Sentence spans within text[start:end], trimmed of spaces."""
    out, pos = [], start
    for m in SENTENCE_END.finditer(text, start, end):
        out.append(strip_span(text, (pos, m.end() if m.group() in ".!?" else m.start())))
        pos = m.end()
    out.append(strip_span(text, (pos, end)))
    return [(s, e) for s, e in out if e - s > 3]


def has_action(sentence: str, strict: bool) -> bool:
    """Whether a sentence asks someone to do something (strict: a real owner or a concrete verb)."""
    if NOT_ACTIONS.search(sentence):
        return False
    m = ACTION_VERB.search(sentence)
    if m:
        verb = m["verb"].lower()
        if verb in NOT_VERBS or verb in {"be", "have", "been", "being"} and not PASSIVE_ACTION.search(sentence):
            return False
        if not strict:
            return True
        subject = sentence[: m.start()].strip()
        subject = NARRATIVE.sub("", subject).strip()
        return is_owner(subject) or verb in _verbs("concrete_actions")
    if PASSIVE_ACTION.search(sentence):
        return not strict
    first = re.match(r"\s*([A-Za-z]+)", sentence)
    return bool(first) and first.group(1).lower() in _verbs("concrete_actions") | _verbs("vague_actions") and not strict


def _form_items(text: str, lines: list[Line], i: int) -> tuple[Item, int]:
    """One labelled form starting at line i; returns the item and the next line index."""
    line = lines[i]
    m = FORM_START.match(line.text)
    action_start = line.start + m.end()
    action_end = line.end
    owner = deadline = None
    j = i + 1
    if action_start >= action_end:  # the action text is on the following line(s)
        while j < len(lines) and lines[j].blank:
            j += 1
        if j < len(lines):
            action_start, action_end = lines[j].content_start, lines[j].end
            j += 1
    inline = INLINE_LABEL.search(text, action_start, action_end)
    if inline:  # "Action: ... Responsible: SW. By when: 31/05"
        rest_start = inline.start()
        for lm in INLINE_LABEL.finditer(text, rest_start, action_end):
            value_end = next((n.start() for n in INLINE_LABEL.finditer(text, lm.end(), action_end)), action_end)
            span = strip_span(text, (lm.end(), value_end))
            span = (span[0], span[1] - (1 if text[span[1] - 1 : span[1]] in ".;," else 0))
            if FORM_DEADLINE.match(lm["label"] + ":"):
                deadline = span
            else:
                owner = span
        action_end = rest_start
    while j < len(lines):
        nxt = lines[j]
        if nxt.blank:
            j += 1
            if j < len(lines) and (FORM_OWNER.match(lines[j].text) or FORM_DEADLINE.match(lines[j].text)):
                continue
            break
        if FORM_START.match(nxt.text) or LIST_MARKER.match(nxt.text) and not (FORM_OWNER.match(nxt.text) or FORM_DEADLINE.match(nxt.text)):
            break
        fm = FORM_OWNER.match(nxt.text)
        dm = FORM_DEADLINE.match(nxt.text)
        if fm:
            owner = strip_span(text, (nxt.start + fm.end(), nxt.end))
        elif dm:
            deadline = strip_span(text, (nxt.start + dm.end(), nxt.end))
        elif FORM_OTHER.match(nxt.text):
            pass
        elif owner is None and deadline is None:
            action_end = nxt.end
        j += 1
    span = strip_span(text, (action_start, action_end))
    region = (line.start, lines[j - 1].end if j - 1 < len(lines) else line.end)
    return Item("form", span, owner, deadline, region), j


def _list_item(text: str, lines: list[Line], i: int, stop: int) -> tuple[Item, int]:
    line = lines[i]
    m = LIST_MARKER.match(line.text)
    start = line.start + m.end()
    end = line.end
    j = i + 1
    while j < stop:
        nxt = lines[j]
        if nxt.blank or LIST_MARKER.match(nxt.text) or row_cells(nxt) or FORM_START.match(nxt.text):
            break
        end = nxt.end
        j += 1
    span = strip_span(text, (start, end))
    return Item("list", span, region=(line.start, end)), j


def items_in_block(text: str, lines: list[Line], first: int, stop: int, recommendations: bool, letter: bool) -> list[Item]:
    """Candidate recommendations in lines[first:stop] of one section."""
    items: list[Item] = []
    i = first
    while i < stop:
        line = lines[i]
        if line.blank:
            i += 1
            continue
        if recommendations and row_cells(line):
            rows = []
            while i < stop and (cells := row_cells(lines[i])):
                rows.append(cells)
                i += 1
            items.extend(parse_table(text, rows))
            continue
        if recommendations and FORM_START.match(line.text):
            item, i = _form_items(text, lines, i)
            items.append(item)
            continue
        if recommendations and LIST_MARKER.match(line.text):
            item, i = _list_item(text, lines, i, stop)
            body = text[item.span[0] : item.span[1]]
            if len(body.split()) >= 3 and not body.rstrip().endswith(":") and not NOT_ACTIONS.search(body):
                items.append(item)
            continue
        j = i
        while j < stop and not lines[j].blank and not (j > i and (LIST_MARKER.match(lines[j].text) or row_cells(lines[j]))):
            j += 1
        items.extend(_sentences(text, lines[i].start, lines[j - 1].end, recommendations, letter))
        i = j
    return items


def _sentences(text: str, start: int, end: int, recommendations: bool, letter: bool) -> list[Item]:
    out = []
    for s, e in split_sentences(text, start, end):
        sentence = text[s:e]
        inline = INLINE_ACTION.search(sentence)
        if inline:
            span = strip_span(text, (s + inline.end(), e))
            out.append(Item("inline", span, region=span))
            continue
        narrative = NARRATIVE.search(sentence)
        # a lead-in followed by an action, or by a named subject and verb ("recommended that Ms Hart refers ...")
        if narrative and (has_action(sentence[narrative.end() :], strict=False) or NAMED_SUBJECT.match(sentence[narrative.end() :])):
            span = strip_span(text, (s + narrative.end(), e))
            out.append(Item("narrative", span, region=span))
            continue
        if recommendations and has_action(sentence, strict=False) and len(sentence.split()) >= 4:
            out.append(Item("letter" if letter else "narrative", (s, e), region=(s, e)))
    return out


STATUS = re.compile(
    r"(?:\s[-–—:]\s*|\(\s*|\bstatus\s*:?\s*|^)(?:done|achieved|completed?|not done|not achieved|not yet|partly|partially|in progress|met|not met|"
    r"ongoing|outstanding|no longer (?:needed|required)|superseded|carried forward|underway|yes|no)\b"
    r"|\b(?:DONE|ACHIEVED|COMPLETED|NOT MET|PARTLY MET|NOT ACHIEVED|NOT DONE|MET)\b",
    re.I,
)
NOT_VERBS = frozenset(
    [
        "the",
        "a",
        "an",
        "all",
        "his",
        "her",
        "their",
        "them",
        "him",
        "me",
        "us",
        "you",
        "your",
        "my",
        "our",
        "its",
        "this",
        "that",
        "these",
        "those",
        "any",
        "each",
        "every",
        "both",
        "some",
        "no",
        "school",
        "court",
        "panel",
        "college",
        "work",
        "date",
        "time",
        "review",
        "meeting",
        "home",
        "mum",
        "dad",
        "next",
        "also",
    ]
)


def _is_progress_block(text: str, items: list[Item]) -> bool:
    """A block of last review's actions with their status ("– done", "ACHIEVED"), whatever its heading says."""
    if len(items) < 2:
        return False
    with_status = sum(1 for it in items if STATUS.search(text[it.region[0] if it.region else it.span[0] : it.span[1]][:400]))
    return with_status / len(items) >= 0.5


def find_items(text: str, lines: list[Line], sections: list[Section], letter: bool) -> list[Item]:
    """Every candidate recommendation in the record, in text order."""
    line_index = {line.start: n for n, line in enumerate(lines)}
    starts = sorted(line_index)

    def line_at(offset: int) -> int:
        return max(0, bisect.bisect_right(starts, offset) - 1)

    items: list[Item] = []
    for section in sections:
        if section.kind in ("progress", "attendance", "signoff"):
            continue
        first = line_at(section.start)
        if section.heading_span and section.start >= lines[first].end:
            first += 1  # the heading has a line of its own; an inline heading's body starts on its line
        stop = line_at(section.end - 1) + 1 if section.end > section.start else 0
        if section.kind == "recommendations":
            block = items_in_block(text, lines, first, stop, True, letter)
            if not _is_progress_block(text, block):
                items.extend(block)
        else:
            items.extend(items_in_block(text, lines, first, stop, False, letter))
            items.extend(_implicit(text, lines, first, stop, letter, section.kind))
    return _dedupe(items)


HEADLINE = re.compile(
    r"^(?P<np>[A-Z][\w'’()/-]*(?:[ ,]+[\w'’()/&-]+){0,7}?)\s+(?:is\s+|are\s+)?to\s+(?:be\s+(?:\w+ly\s+)?\w+(?:ed|en|t|n|de|ld)\b|(?!be\b)[a-z]+)"
)
FINITE = re.compile(
    r"\b(?:is|are|was|were|has|have|had|said|says|wants|wanted|would|will|likes|liked|needs|asked|told|went|goes|seems|feels|felt|hopes|agreed|decided|tried|used|started|began|managed|continues|remains|keeps|makes|takes|comes|gets|wrote|spoke|came|saw|took|made|got|did|does|can|could)\b",
    re.I,
)
FUTURE = re.compile(
    r"^(?P<subject>[^.;:!?]{1,80}?)\s+(?:will|agreed to|has agreed to|have agreed to|is going to|are going to|said (?:she|he|they) would|offered to|has offered to|is to|are to)\s+(?!be\s+(?:on|held|in|at|the)\b)(?:also\s+|now\s+|then\s+)?(?P<verb>[a-z]+)"
)
PRONOUNS = re.compile(r"^(?:he|she|they|it|this|that|there|which|who|his|her|their|the plan|the review|your next review|next review)\b", re.I)


LABEL_PREFIX = re.compile(r"^(?:about|for|re|on)?\s*[A-Za-z'’ ]{2,30}:\s+(?=\S)", re.I)
AGREED_BLOCK = re.compile(
    r"(?:following\s+(?:were|was|is|are|has been|have been)\s+agreed|agreed\s+(?:that|the following)|what\s+we\s+agreed|here\s+is\s+what\s+we\s+agreed|we\s+agreed)\s*[:.]?\s*$",
    re.I,
)


def is_implicit_decision(sentence: str) -> bool:
    """A decision written as a plain sentence: "Lyle to remain at ...", "Ms Hart will book ...", "The IHA is to be requested"."""
    if NOT_ACTIONS.search(sentence) or "?" in sentence:
        return False
    m = HEADLINE.match(sentence)
    if m and not FINITE.search(m["np"]) and not PRONOUNS.match(m["np"]) and not re.search(r"\b(?:you|me|i|we)\b|\w(?:ed|es)\b", m["np"][1:], re.I):
        verb = m.group().rsplit(None, 1)[-1].lower()
        if verb in _verbs("concrete_actions") | _verbs("vague_actions") | _verbs("other_verbs") or m.group().rsplit(None, 2)[-2] == "be":
            return True
    m = FUTURE.match(sentence)
    if m and m["verb"].lower() not in NOT_VERBS and m["verb"].lower() != "be":
        subject = NARRATIVE.sub("", m["subject"]).strip(" ,")
        if PRONOUNS.match(subject) or FINITE.search(subject) or len(subject.split()) > 8:
            return False
        return subject.lower() in {"i", "you", "we", "everyone", "staff", "school"} or is_owner(subject)
    return False


def _implicit(text: str, lines: list[Line], first: int, stop: int, letter: bool, kind: str) -> list[Item]:
    """Decisions written as plain sentences or list items, in records with no recommendations heading and in letters."""
    if kind in ("header", "views", "next_review") or first >= stop:
        return []
    out = []
    agreed_block = False
    previous_end = lines[first].start
    for s, e in split_sentences(text, lines[first].start, lines[stop - 1].end):
        if "\n\n" in text[previous_end:s]:
            agreed_block = False
        previous_end = e
        sentence = LIST_MARKER.sub("", text[s:e], count=1)
        colon = sentence.find(":")
        if colon >= 0 and AGREED_BLOCK.search(sentence[: colon + 1]):  # "The following were agreed: SW to chase ..."
            agreed_block = True
            sentence = sentence[colon + 1 :].lstrip()
        else:  # "About school: Sadia will ..." — the label is not part of the decision
            sentence = LABEL_PREFIX.sub("", sentence, count=1)
        offset = e - len(sentence)
        if INLINE_ACTION.search(sentence) or NARRATIVE.search(sentence):
            continue  # read by the explicit inline and narrative rules, which start the span at the owner
        if is_implicit_decision(sentence) or agreed_block and has_action(sentence, strict=False) and len(sentence.split()) >= 3:
            out.append(Item("letter" if letter else "narrative", (offset, e), region=(offset, e)))
        elif AGREED_BLOCK.search(sentence):
            agreed_block = True
    return out


def _dedupe(items: list[Item]) -> list[Item]:
    items.sort(key=lambda it: (it.span[0], -(it.span[1] - it.span[0])))
    kept: list[Item] = []
    for item in items:
        if item.span[0] >= item.span[1]:
            continue
        if kept and item.span[0] < kept[-1].span[1]:
            continue
        kept.append(item)
    return kept
