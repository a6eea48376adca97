"""HTML pages for managers: one per record, the sample's index and the report; self-contained, so they open offline."""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from sqlalchemy import Engine

from recqual.qa.data import full_records


def record_filename(record_id: int) -> str:
    return f"record-{record_id}.html"


def record_name(source: str) -> str:
    """A record's short name on pages: its file name (the full path is on its own page)."""
    return PurePath(source).name


def _num(value: float | None) -> str:
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _squash(text: str) -> str:
    return " ".join(str(text).split())


def _highlight(text: str, flags: list[dict[str, Any]]) -> Markup:
    """The record's text with every flagged passage marked, the flag codes as the mark's title."""
    merged: list[list[Any]] = []
    for start, end, code in sorted((f["span"][0], f["span"][1], f["code"]) for f in flags if f.get("span")):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2].append(code)
        else:
            merged.append([start, end, [code]])
    out, pos = [], 0
    for start, end, codes in merged:
        out.append(escape(text[pos:start]))
        out.append(Markup('<mark title="{}">{}</mark>').format(", ".join(dict.fromkeys(codes)), text[start:end]))
        pos = end
    out.append(escape(text[pos:]))
    return Markup("").join(out)


_env = Environment(loader=PackageLoader("recqual.qa", "templates"), autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
_env.filters.update(num=_num, pct=_pct, ordinal=_ordinal, squash=_squash, highlight=_highlight)


def render(template: str, **context: Any) -> str:
    return _env.get_template(template).render(**context)


def record_page(record: dict[str, Any], back: str | None = None) -> str:
    """A manager's page for one stored record: score and reasons, recommendations, concerns, what to change."""
    r = {**record, "name": record_name(record["source"]), "scored_at": f"{record['scored_at']:%Y-%m-%d %H:%M} UTC"}
    for key in ("subscores",):
        r[key] = r[key] or {}
    for key in ("reasons", "recommendations", "issues", "flags"):
        r[key] = r[key] or []
    return render("record.html", r=r, back=back)


def write_record_pages(engine: Engine, ids: list[int], folder: Path, back: str) -> None:
    """One page per record into `folder`, each linking back to `back`."""
    folder.mkdir(parents=True, exist_ok=True)
    for record in full_records(engine, ids):
        (folder / record_filename(record["id"])).write_text(record_page(record, back=back), encoding="utf-8")
