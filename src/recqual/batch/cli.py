"""The `recqual batch` command."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

EPILOG = """\
examples:
  recqual batch archive/ --db results.db
  recqual batch archive/ --db results.db --workers 2 --manifest archive/manifest.csv
  recqual batch archive/ --db postgresql://recqual@dbhost/recqual
  recqual batch /shared/archive --db results.db --scheduler tcp://scheduler:8786

a child's reviews are linked through the manifest (columns path, child_id, review_date,
review_number, iro, team) or by file name: <child>-r<N>.txt|pdf|docx, e.g. c049/c049-r2.txt.
Re-running skips every file already scored from the same bytes with the same analyser version.

exit codes: 0 all scored, 1 some files could not be scored (listed, and stored with the reason),
2 bad arguments or the database cannot be used
"""


def _workers(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of workers (1 or more)")
    return n


def _cores() -> int:
    # The cores this process may use (a container or taskset may allow fewer than the machine has).
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def add_parser(sub: argparse._SubParsersAction) -> None:
    b = sub.add_parser(
        "batch",
        help="score every record in folders (or a manifest) into a database",
        description="Score every .txt, .pdf and .docx record under the given paths (and those a manifest lists) "
        "into a SQLite or PostgreSQL database, in parallel, resumably.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    b.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="record files or folders to search")
    b.add_argument("--db", required=True, metavar="URL", help="a SQLite file (created on first use) or a postgresql:// URL")
    b.add_argument(
        "--workers",
        type=_workers,
        default=_cores(),
        metavar="N",
        help="worker processes on this machine (default: one per core; with --scheduler, the cluster decides)",
    )
    b.add_argument("--manifest", type=Path, metavar="CSV", help="a CSV listing records with child_id, review_date, iro, team")
    b.add_argument("--store-text", action="store_true", help="also store each record's text (by default it is not kept)")
    b.add_argument("--scheduler", metavar="ADDRESS", help="run on a Dask distributed cluster (workers must see the same paths)")
    b.add_argument("--rubric", type=Path, metavar="FILE", help="a rubric file (YAML) to score with instead of the default")


def run(args: argparse.Namespace) -> int:
    from recqual.batch.runner import StoreError, run_batch
    from recqual.cli import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, load_rubric
    from recqual.ingest import InputError

    if not args.paths and args.manifest is None:
        print("recqual: error: give at least one PATH or a --manifest", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        rubric = load_rubric(args.rubric) if args.rubric else None
        summary = run_batch(
            args.paths, args.db, workers=args.workers, scheduler=args.scheduler, manifest=args.manifest, store_text=args.store_text, rubric=rubric
        )
    except (InputError, StoreError) as err:
        print(f"recqual: error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    summary.write(sys.stdout)
    if summary.interrupted:
        return 130
    return EXIT_FINDINGS if summary.failures else EXIT_OK
