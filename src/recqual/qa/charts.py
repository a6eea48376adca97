"""Charts for the reports, drawn with matplotlib as SVG: text stays text, and every page opens offline with its charts inside."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib
from matplotlib.figure import Figure

BAR_COLOUR = "#1f5f8b"
GRADE_COLOURS = {"outstanding": "#1a7f37", "good": "#4c9f38", "requires improvement": "#d08a00", "inadequate": "#b3261e"}


def _label(text: str) -> str:
    # A "$" in an IRO's or team's name would otherwise start matplotlib's maths mode.
    return str(text).replace("$", r"\$")


def bars(
    name: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    axis: str,
    horizontal: bool = True,
    colours: Sequence[str] | None = None,
    value_format: str = "{:g}",
) -> str:
    """A bar chart as an inline SVG element; each bar's group has the id `<name>-bar-<i>`, in the order of `labels`."""
    n = max(1, len(labels))
    longest = max((len(str(label)) for label in labels), default=1)
    # Margins from the labels' length, not matplotlib's automatic layout: that measures every label
    # again and again, and takes seconds on a chart of eighty IROs.
    if horizontal:
        width, height = 7.5, 0.9 + 0.26 * n
        left = min(3.2, 0.25 + 0.075 * longest)
        margins = {"left": left / width, "right": 1 - 0.5 / width, "top": 1 - 0.45 / height, "bottom": 0.5 / height}
    else:
        width, height = max(6.0, 0.45 * n + 1.5), 3.2 + (0.07 * longest if n > 8 else 0.3)
        margins = {"left": 0.75 / width, "right": 1 - 0.2 / width, "top": 1 - 0.45 / height, "bottom": (0.5 + (0.07 * longest if n > 8 else 0.1)) / height}
    fig = Figure(figsize=(width, height))
    fig.subplots_adjust(**margins)
    ax = fig.add_subplot()
    positions = list(range(len(labels)))
    colour = list(colours) if colours else BAR_COLOUR
    if horizontal:
        drawn = ax.barh(positions, values, color=colour)
        ax.set_yticks(positions, [_label(label) for label in labels])
        ax.invert_yaxis()  # the first label on top, as in the tables
        ax.set_xlabel(axis)
    else:
        drawn = ax.bar(positions, values, color=colour)
        ax.set_xticks(positions, [_label(label) for label in labels], rotation=45 if n > 8 else 0, ha="right" if n > 8 else "center")
        ax.set_ylabel(axis)
    for i, patch in enumerate(drawn.patches):
        patch.set_gid(f"{name}-bar-{i}")
    ax.bar_label(drawn, labels=[value_format.format(v) for v in values], padding=2, fontsize=8)
    ax.set_title(_label(title), loc="left", fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    if horizontal:
        ax.margins(x=0.12, y=0.5 / n)
    else:
        ax.margins(y=0.15)
    buffer = io.StringIO()
    # A salt per chart keeps the ids of several inline SVGs on one page apart; no date keeps output reproducible.
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": name, "svg.id": name}):
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    return svg[svg.index("<svg") :]
