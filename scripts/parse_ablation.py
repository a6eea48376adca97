"""What the trained syntax buys and costs, where the analyser runs it: on a record's recommendations only.

    python scripts/parse_ablation.py            # the dev split

Three things are measured:
- accuracy: `recqual evaluate` on the dev split with the parse as shipped, and with every parse
  replaced by an unparsed one (words only: no tags, no dependencies), so that the owner's passive
  agent, the vague action's noun veto and the bundled actions find nothing in it;
- what the parse reads: the words of the recommendations beside the words of the whole records;
- what the parse costs: the pipeline over the recommendations beside the same pipeline over every
  sentence of the records (what parsing the whole minutes would take), both measured in this run.
The tasks that do not read the parse (issues, repeats, standing) are printed too: they must not move.
(bundled_action also reads the parse; the corpus does not annotate it: see tests/fixtures/bundled-actions.yaml.)
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import spacy

from recqual import evaluate
from recqual.analyse import analyse
from recqual.corpus.build import read_split
from recqual.nlp import models, syntax

ROOT = Path(__file__).resolve().parents[1]
TASKS = ("owner", "missing_owner", "vague_action", "deadline_date", "issues", "unaddressed_all", "repeated_action", "standing")


@contextlib.contextmanager
def unparsed() -> Iterator[None]:
    """The parse replaced by words alone (no tags, no dependencies) while the block runs."""
    original = syntax.parse, syntax.parse_all
    syntax.parse, syntax.parse_all = spacy.blank("en"), lambda texts: None
    try:
        yield
    finally:
        syntax.parse, syntax.parse_all = original


def figure(result: dict[str, Any], task: str) -> str:
    value = result.get(task)
    if not isinstance(value, dict):
        return "-"
    return f"{value.get('f1', value.get('accuracy', 0.0)):.3f}"


def parse_cost(texts: list[str], repeats: int = 3) -> tuple[float, float, int, int]:
    """(seconds over the recommendations, seconds over every sentence, words in each) for the records `texts`."""
    nlp = syntax.pipeline()
    recommendations = [r.text for t in texts for r in analyse(t).recommendations]
    sentences = [line for t in texts for line in t.splitlines() if line.strip()]

    def seconds(batch: list[str]) -> float:
        runs = []
        for _ in range(repeats):
            with nlp.memory_zone():
                started = time.perf_counter()
                for _doc in nlp.pipe(batch):
                    pass
                runs.append(time.perf_counter() - started)
        return statistics.median(runs)

    return seconds(recommendations), seconds(sentences), sum(len(r.split()) for r in recommendations), sum(len(s.split()) for s in sentences)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="dev", choices=("train", "dev"))
    args = parser.parse_args()
    corpus = ROOT / "corpus" / "annotated"
    models.preload()
    shipped = evaluate.evaluate(args.split, corpus)
    with unparsed():
        without = evaluate.evaluate(args.split, corpus)
    print(f"{'task':<20}{'no parse':>10}{'shipped':>10}")
    for task in TASKS:
        print(f"{task:<20}{figure(without, task):>10}{figure(shipped, task):>10}")
    texts = [r["text"] for r in read_split(args.split, corpus)]
    on_recs, on_all, rec_words, all_words = parse_cost(texts)
    print(f"\nparse over the recommendations: {rec_words:,} words, {1000 * on_recs / len(texts):.1f} ms per record")
    print(f"parse over every line:          {all_words:,} words, {1000 * on_all / len(texts):.1f} ms per record")
    print(f"ratio: the shipped scope costs {on_recs / on_all:.2f} x parsing the whole record")


if __name__ == "__main__":
    main()
