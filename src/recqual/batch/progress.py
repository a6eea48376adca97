"""What a batch tells the person running it: a progress bar on stderr while it runs, and a summary at the end.

Neither ever shows a record's text: only counts, file paths and the reasons files could not be read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TaskProgressColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.text import Text

LISTED = 50  # failures and drifting records listed in full; beyond this, a count


class RateColumn(ProgressColumn):
    """Records per second."""

    def render(self, task: Task) -> Text:
        return Text("-- records/s" if task.speed is None else f"{task.speed:.1f} records/s", style="progress.data.speed")


def bar(total: int, console: Console | None = None, visible: bool = True) -> Progress:
    """A progress bar for `total` records: done/total, percentage, rate, time taken and time left."""
    progress = Progress(
        TextColumn("scoring"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        RateColumn(),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
        console=console or Console(stderr=True),
        transient=False,
        disable=not visible,
    )
    progress.add_task("scoring", total=total)
    return progress


@dataclass
class Summary:
    found: int = 0
    skipped: int = 0
    scored: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    repeated: int = 0  # recommendations that repeat the child's previous review
    drifting: list[tuple[str, int, int]] = field(default_factory=list)  # (file, actions carried 3+ reviews, most reviews)
    seconds: float = 0.0
    interrupted: bool = False
    database: str = ""
    pool: str = ""

    @property
    def failed(self) -> int:
        return len(self.failures)

    def write(self, out: IO[str]) -> None:
        state = "stopped before the end (run the same command again to finish)" if self.interrupted else "done"
        rate = f", {self.scored / self.seconds:.1f} records/s" if self.seconds > 0 and self.scored else ""
        print(f"recqual batch {state}: {self.found} files, {self.scored} scored, {self.skipped} skipped (already scored), {self.failed} failed", file=out)
        where = f" on {self.pool}" if self.pool else ""
        print(f"  {self.seconds:.1f} s{where}{rate}; results in {self.database}", file=out)
        if self.repeated or self.drifting:
            drift = sum(n for _, n, _ in self.drifting)
            colon = ":" if self.drifting else ""
            print(f"  {_count(self.repeated, 'recommendation')} repeating the last review; {drift} carried across three or more reviews{colon}", file=out)
            for source, n, most in sorted(self.drifting, key=lambda d: (-d[2], d[0]))[:LISTED]:
                print(f"    {source}: {_count(n, 'action')}, carried across up to {most} reviews", file=out)
            if len(self.drifting) > LISTED:
                print(f"    ... and {len(self.drifting) - LISTED} more records (see the report)", file=out)
        if self.failures:
            print("  failed:", file=out)
            for source, reason in sorted(self.failures)[:LISTED]:
                print(f"    {source}: {reason}", file=out)
            if len(self.failures) > LISTED:
                print(f"    ... and {len(self.failures) - LISTED} more (the database has every one with its reason)", file=out)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
