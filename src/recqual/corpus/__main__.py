"""`python -m recqual.corpus check PATH | build`: annotation checks without installing the package."""

from __future__ import annotations

import sys
from pathlib import Path

from recqual.corpus.annotation import load_tree
from recqual.corpus.build import write


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "check":
        records, errors = load_tree(Path(argv[1]))
        for e in errors:
            print(e)
        print(f"{len(records)} records, {len(errors)} problems")
        return 1 if errors else 0
    if argv[:1] == ["build"]:
        print(write())
        return 0
    print("usage: python -m recqual.corpus check PATH | build", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
