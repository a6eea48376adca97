"""The `recqual sample` and `recqual report` commands."""

from __future__ import annotations

import argparse
import secrets
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

BY = ("iro", "team", "month")

SAMPLE_EPILOG = """\
examples:
  recqual sample --db results.db --n 20 --out qa-2025-03
  recqual sample --db results.db --n 30 --by iro --seed 7 --weight-low --out qa-2025-03

writes sample.csv, index.html and records/record-<id>.html (one page per record) into --out.
The same database, options and --seed always draw the same records; without --seed one is
chosen, printed and written on the index page.
"""

REPORT_EPILOG = """\
examples:
  recqual report --db results.db --out report/
  recqual report --db postgresql://recqual@dbhost/recqual --by iro --by month --out report/

writes index.html (self-contained: charts inside, opens offline), charts/*.svg, CSV files and
records/record-<id>.html for the lowest-scoring records and those with drifting actions.
"""


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of 1 or more")
    return int(value)


def add_parsers(sub: argparse._SubParsersAction) -> None:
    s = sub.add_parser(
        "sample",
        help="draw a reproducible random sample of scored records for quality assurance",
        description="Draw a random sample of the records a batch scored, for a manager to audit, and write a page per record.",
        epilog=SAMPLE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    s.add_argument("--db", required=True, metavar="URL", help="the batch's database (a SQLite file or a postgresql:// URL)")
    s.add_argument("--n", type=_positive, default=20, metavar="N", help="how many records (default 20)")
    s.add_argument("--by", choices=BY, help="stratify: every IRO, team or month is represented, the rest in proportion")
    s.add_argument("--seed", type=int, metavar="S", help="the random seed (to draw the same sample again)")
    s.add_argument("--weight-low", action="store_true", help="favour low-scoring records (chance proportional to 101 - score)")
    s.add_argument("--out", type=Path, required=True, metavar="DIR", help="the folder to write the sample pack into")

    r = sub.add_parser(
        "report",
        help="write an HTML report with charts and CSV files over a batch's database",
        description="Summarise the records a batch scored: scores, grades and flags by IRO, team and month, "
        "unaddressed domains, repeated actions and drift, the worst records; as HTML with charts and as CSV.",
        epilog=REPORT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    r.add_argument("--db", required=True, metavar="URL", help="the batch's database (a SQLite file or a postgresql:// URL)")
    r.add_argument("--by", choices=BY, action="append", help="a grouping to summarise by (repeatable; default: iro, team when known, and month)")
    r.add_argument("--worst", type=_positive, default=10, metavar="N", help="list the N lowest-scoring records (default 10)")
    r.add_argument("--out", type=Path, required=True, metavar="DIR", help="the folder to write the report into")


def sample(args: argparse.Namespace) -> int:
    from recqual.batch.store import describe
    from recqual.cli import EXIT_BAD_INPUT, EXIT_OK
    from recqual.ingest import InputError
    from recqual.qa.sample import write

    seed = args.seed if args.seed is not None else secrets.randbelow(1_000_000)
    command = ["recqual", "sample", "--db", describe(args.db), "--n", str(args.n), "--seed", str(seed), "--out", str(args.out)]
    command += (["--by", args.by] if args.by else []) + (["--weight-low"] if args.weight_low else [])
    try:
        engine = _engine(args.db)
        try:
            index, sampled, population = write(engine, args.out, args.n, args.by, seed, args.weight_low, describe(args.db), shlex.join(command))
        finally:
            engine.dispose()
    except InputError as err:
        print(f"recqual: error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(
        f"sampled {sampled} of {population} scored records (seed {seed}{', by ' + args.by if args.by else ''}{', weighted to low scores' if args.weight_low else ''}): {index}"
    )
    return EXIT_OK


def report(args: argparse.Namespace) -> int:
    from recqual.batch.store import describe
    from recqual.cli import EXIT_BAD_INPUT, EXIT_OK
    from recqual.ingest import InputError
    from recqual.qa.report import write

    try:
        engine = _engine(args.db)
        try:
            index = write(engine, args.out, list(dict.fromkeys(args.by or BY)), args.worst, describe(args.db))
        finally:
            engine.dispose()
    except InputError as err:
        print(f"recqual: error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(f"report written: {index}")
    return EXIT_OK


def _engine(database: str) -> Engine:
    from recqual.batch.store import connect

    return connect(database, create=False)
