"""`python -m recqual.corpus check PATH... | build`: annotation checks without installing the package."""

from __future__ import annotations

import sys
from pathlib import Path

from recqual.corpus.annotation import load_tree
from recqual.corpus.build import write


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "check":
        problems = 0
        for folder in argv[1:]:  # an annotator checks their block, or several at once
            records, errors = load_tree(Path(folder))
            for e in errors:
                print(e)
            print(f"{folder}: {len(records)} records, {len(errors)} problems")
            problems += len(errors)
        return 1 if problems else 0
    if argv[:1] == ["build"]:
        print(write())
        return 0
    print("usage: python -m recqual.corpus check PATH... | build", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
