"""The `recqual` command line."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from recqual.nlp.models import METHODS

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2

DESCRIPTION = """\
recqual checks the record of a looked-after child's statutory review: it finds every
recommendation with its owner and deadline, flags missing owners and timescales, vague
actions, actions repeated from the last review and concerns no recommendation addresses,
and scores the record with its reasons. Everything runs on this machine; nothing is sent
anywhere and no record text is logged.
"""

ANALYSE_EPILOG = """\
examples:
  recqual analyse examples/review-record.txt
  recqual analyse current.txt --previous last.txt --format json > report.json
  recqual analyse r3.txt --previous r1.txt --previous r2.txt   # a series: actions carried across three reviews are drift
  recqual analyse draft.txt --review-date 2025-03-14 --fail-under 70

exit codes: 0 ok, 1 score below --fail-under, 2 bad input (the message names the file and the reason)
"""


SERVE_EPILOG = """\
examples:
  recqual serve                                   # http://127.0.0.1:8080/
  RECQUAL_API_KEY=... recqual serve --host 0.0.0.0 --port 8443
  recqual serve --config recqual-serve.yaml

Nothing a user sends is stored or logged; the log has one line per request (method, path, status, time).
"""


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date in the form YYYY-MM-DD") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="recqual", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    from recqual import __version__

    parser.add_argument("--version", action="version", version=f"recqual {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    a = sub.add_parser(
        "analyse",
        help="check one review record and print its report",
        description="Check one review record (plain text, PDF or Word .docx, told apart by content) and print its report.",
        epilog=ANALYSE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    a.add_argument("file", type=Path, help="the review record to check: .txt, .pdf or .docx")
    a.add_argument(
        "--previous",
        type=Path,
        metavar="FILE",
        action="append",
        help="the child's previous review record, to find repeated actions; give it again for earlier reviews, oldest first, to count drift",
    )
    a.add_argument("--review-date", type=_date, metavar="YYYY-MM-DD", help="the date of the review, when the record does not state it (overrides the header)")
    a.add_argument("--format", choices=("text", "json"), default="text", help="text for reading here (default), json for the report-v1 object")
    a.add_argument("--no-text", action="store_true", help="leave the record's text out of the JSON report")
    a.add_argument("--fail-under", type=int, metavar="SCORE", help="exit with 1 when the score is below SCORE")
    a.add_argument("--rubric", type=Path, metavar="FILE", help="a rubric file (YAML) to score with instead of the default")

    e = sub.add_parser(
        "evaluate",
        help="measure accuracy on the annotated corpus",
        description="Run the analyser over a split of corpus/annotated/ and print precision, recall and F1 per task.",
    )
    e.add_argument("--split", choices=("train", "dev", "test"), default="dev", help="which split (default dev; test is for final figures only)")
    e.add_argument("--json", action="store_true", help="print the figures as JSON")
    e.add_argument("--worst", type=int, default=5, metavar="N", help="list the N records with the most errors (default 5)")
    e.add_argument("--corpus", type=Path, default=Path("corpus/annotated"), metavar="DIR", help="the corpus folder")
    e.add_argument("--check-baseline", type=Path, metavar="FILE", help="exit 1 if any figure falls below those recorded in FILE")
    e.add_argument("--rubric", type=Path, metavar="FILE", help="score with this rubric file (YAML) instead of the default, to see how it ranks the corpus")
    e.add_argument(
        "--method",
        choices=METHODS,
        default="combined",
        help="how owners, deadlines and concerns are found: rules, model or combined (default; the ablation in models/README.md)",
    )

    t = sub.add_parser(
        "train",
        help="retrain every model from scratch into models/",
        description="Retrain the English syntax pipeline (UD English EWT) and the domain models (corpus train split), with a fixed seed.",
    )
    t.add_argument("--out", type=Path, default=None, metavar="DIR", help="where to write the models (default: the repository's models/)")
    t.add_argument("--corpus", type=Path, default=Path("corpus/annotated"), metavar="DIR", help="the corpus folder")
    t.add_argument("--treebank", type=Path, default=None, metavar="DIR", help="the UD English EWT folder (default ../shared/data/ud-english-ewt)")
    t.add_argument("--work", type=Path, default=Path("build/train"), metavar="DIR", help="scratch folder for converted data and checkpoints")
    t.add_argument("--only", choices=("syntax", "spans", "issues"), action="append", help="train only this part (repeatable)")
    t.add_argument("--seed", type=int, default=0, help="the random seed (default 0)")

    s = sub.add_parser(
        "serve",
        help="serve the checking page and the HTTP API (POST /v1/check)",
        description="Serve the IRO's checking page at / and the HTTP API at /v1/ with waitress.\n"
        "Settings come from RECQUAL_* environment variables or --config: RECQUAL_API_KEY,\n"
        "RECQUAL_CORS_ORIGINS, RECQUAL_MAX_REQUEST_BYTES, RECQUAL_TIMEOUT, RECQUAL_WORKERS (see the README).",
        epilog=SERVE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    s.add_argument("--host", default="127.0.0.1", help="the address to listen on (default 127.0.0.1: this machine only)")
    s.add_argument("--port", type=int, default=8080, help="the port (default 8080; 0 picks a free one)")
    s.add_argument("--threads", type=int, default=8, help="requests handled at once (default 8); checks run in RECQUAL_WORKERS processes")
    s.add_argument("--config", type=Path, metavar="FILE", help="a YAML file of RECQUAL_* settings (overrides the environment)")

    c = sub.add_parser("corpus", help="check or build the annotated corpus", description="Check the annotation files, or build the split files from them.")
    c.add_argument(
        "action",
        choices=("check", "build", "stats"),
        help="check: validate the sources; build: write train/dev/test JSONL; stats: counts per split and how varied the text is",
    )
    c.add_argument("--corpus", type=Path, default=Path("corpus/annotated"), metavar="DIR", help="the corpus folder")

    from recqual.batch import cli as batch_cli
    from recqual.qa import cli as qa_cli

    batch_cli.add_parser(sub)
    qa_cli.add_parsers(sub)
    return parser


def load_rubric(path: Path) -> dict:
    """A rubric file's contents, checked, or InputError naming the file and the problem."""
    from recqual.score.rubric import read

    return read(path)


def _analyse(args: argparse.Namespace) -> int:
    from recqual.analyse import analyse
    from recqual.ingest import InputError, read_record

    try:
        rubric = load_rubric(args.rubric) if args.rubric else None
        previous = None
        for earlier in args.previous or []:  # oldest first: each review is compared with the one before it
            previous = analyse(read_record(earlier), source=str(earlier), previous=previous, rubric=rubric)
        report = analyse(read_record(args.file), source=str(args.file), review_date=args.review_date, previous=previous, rubric=rubric)
    except InputError as err:
        print(f"recqual: error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.format == "json":
        print(json.dumps(report.to_dict(include_text=not args.no_text), ensure_ascii=False, indent=2))
    else:
        from recqual.render import as_text

        print(as_text(report), end="")
    if args.fail_under is not None and report.score < args.fail_under:
        return EXIT_FINDINGS
    return EXIT_OK


def _evaluate(args: argparse.Namespace) -> int:
    from recqual.evaluate import check_baseline, evaluate, format_table
    from recqual.ingest import InputError

    try:
        rubric = load_rubric(args.rubric) if args.rubric else None
    except InputError as err:
        print(f"recqual: error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    result = evaluate(args.split, args.corpus, worst=args.worst, method=args.method, rubric=rubric)
    print(json.dumps(result, indent=2) if args.json else format_table(result))
    if args.check_baseline:
        failures = check_baseline(result, json.loads(args.check_baseline.read_text(encoding="utf-8")))
        for line in failures:
            print(f"recqual: accuracy regression: {line}", file=sys.stderr)
        return EXIT_FINDINGS if failures else EXIT_OK
    return EXIT_OK


def _corpus(args: argparse.Namespace) -> int:
    from recqual.corpus.build import build, counts, write

    if args.action == "build":
        print(json.dumps(write(args.corpus)))
        return EXIT_OK
    by_split, errors = build(args.corpus)
    if args.action == "stats":
        from recqual.corpus.diversity import diversity

        everything = [r for records in by_split.values() for r in records]
        print(json.dumps({"counts": counts(by_split), "diversity": diversity(everything)}, indent=1))
    for e in errors:
        print(e)
    print(f"{sum(len(v) for v in by_split.values())} records, {len(errors)} problems")
    return EXIT_FINDINGS if errors else EXIT_OK


def _train(args: argparse.Namespace) -> int:
    from recqual.train.run import train_all

    report = train_all(args.corpus, args.out, args.treebank, args.work, args.seed, args.only)
    print(json.dumps(report, indent=1))
    return EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from recqual.service import create_app
    from recqual.service.config import ConfigError, from_file
    from recqual.service.server import serve

    try:
        app = create_app(from_file(args.config) if args.config else None)
    except ConfigError as err:
        print(f"recqual: error: {err}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        serve(app, args.host, args.port, args.threads)
    except OSError as err:
        print(f"recqual: error: cannot listen on {args.host}:{args.port} ({err.strerror or err})", file=sys.stderr)
        return EXIT_BAD_INPUT
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    from recqual.batch import cli as batch_cli
    from recqual.qa import cli as qa_cli

    handlers = {
        "analyse": _analyse,
        "evaluate": _evaluate,
        "corpus": _corpus,
        "train": _train,
        "serve": _serve,
        "batch": batch_cli.run,
        "sample": qa_cli.sample,
        "report": qa_cli.report,
    }
    return handlers[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
