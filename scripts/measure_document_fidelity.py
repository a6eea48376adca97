"""Print how closely the PDF and Word twins of fixture records analyse like their plain text (see recqual.ingest.fidelity).

    python scripts/measure_document_fidelity.py [FOLDER] [--json]

FOLDER defaults to tests/fixtures/documents (made by scripts/make_document_fixtures.py).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from recqual.ingest.fidelity import FIELDS, measure

ROOT = Path(__file__).resolve().parents[1]


def _figure(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, nargs="?", default=ROOT / "tests" / "fixtures" / "documents")
    parser.add_argument("--json", action="store_true", help="print the whole result as JSON")
    args = parser.parse_args()
    result = measure(args.folder)
    if args.json:
        print(json.dumps(result, indent=1))
        return
    print(f"{'field':<16}" + "".join(f"{v:>14}" for v in result["agreement"]))
    for field in FIELDS:
        cells = "".join(f"{_figure(result['agreement'][v][field]):>8} ({result['compared'][v][field]:>3})" for v in result["agreement"])
        print(f"{field:<16}{cells}")
    for record, versions in result["differences"].items():
        for version, lines in versions.items():
            for line in lines:
                print(f"{record}.{version}: {line}")


if __name__ == "__main__":
    main()
