"""Build the split files (train/dev/test JSONL) from the authored records, and check them."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from recqual.corpus import schema
from recqual.corpus.annotation import load_tree, validate_built

CORPUS_DIR = Path("corpus/annotated")


def load_splits(corpus_dir: Path) -> dict[str, str]:
    """child_id -> split, from the committed splits file (children never straddle splits)."""
    data = json.loads((corpus_dir / "splits.json").read_text(encoding="utf-8"))
    return {child: split for split in schema.SPLITS for child in data[split]}


def build(corpus_dir: Path = CORPUS_DIR) -> tuple[dict[str, list[dict[str, Any]]], list[str]]:
    """The records of each split, and every problem found."""
    records, errors = load_tree(corpus_dir / "source")
    splits = load_splits(corpus_dir)
    out: dict[str, list[dict[str, Any]]] = {s: [] for s in schema.SPLITS}
    for rid, record in sorted(records.items()):
        split = splits.get(record["meta"]["child_id"])
        if split is None:
            errors.append(f"{rid}: child {record['meta']['child_id']} is in no split")
            continue
        record["meta"]["split"] = split
        errors.extend(validate_built(record))
        out[split].append(record)
    return out, errors


def write(corpus_dir: Path = CORPUS_DIR) -> dict[str, int]:
    """Write `<split>.jsonl` files; raises if the corpus has any problem."""
    by_split, errors = build(corpus_dir)
    if errors:
        raise SystemExit("\n".join(errors))
    for split, records in by_split.items():
        with (corpus_dir / f"{split}.jsonl").open("w", encoding="utf-8") as fh:
            for record in records:
                fh.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
    return {split: len(records) for split, records in by_split.items()}


def read_split(split: str, corpus_dir: Path = CORPUS_DIR) -> list[dict[str, Any]]:
    """The built records of one split."""
    path = corpus_dir / f"{split}.jsonl"
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def counts(by_split: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Label counts per split, for the datasheet."""
    table: dict[str, Any] = {}
    for split, records in by_split.items():
        c: Counter[str] = Counter()
        for r in records:
            c["records"] += 1
            c["words"] += len(r["text"].split())
            c[f"style:{r['meta']['style']}"] += 1
            c[f"grade:{r['meta']['grade']}"] += 1
            for rec in r["recommendations"]:
                c["recommendations"] += 1
                c["no owner"] += rec["owner"] is None
                c["no deadline"] += rec["deadline"] is None
                if rec["deadline"]:
                    c[f"deadline:{rec['deadline']['kind']}"] += 1
                c["repeats"] += rec["repeats"] is not None
                c["vague action"] += rec["vague_action"]
                c["standing"] += rec["standing"]
            for issue in r["issues"]:
                c["issues"] += 1
                c[f"issue:{issue['domain']}"] += 1
                c["unaddressed"] += not issue["addressed_by"]
        c["children"] = len({r["meta"]["child_id"] for r in records})
        table[split] = dict(sorted(c.items()))
    return table
