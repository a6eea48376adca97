"""Lines of a record with their character offsets (the one place offsets of lines are computed)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    start: int
    end: int  # end of the content, before the line break
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def blank(self) -> bool:
        return not self.text.strip()

    @property
    def content_start(self) -> int:
        return self.start + len(self.text) - len(self.text.lstrip())


def split_lines(text: str) -> list[Line]:
    """Every line of `text` with its offsets; handles \\n, \\r\\n and \\r endings."""
    out, pos = [], 0
    for raw in text.splitlines(keepends=True):
        content = raw.rstrip("\r\n")
        out.append(Line(pos, pos + len(content), content))
        pos += len(raw)
    return out
