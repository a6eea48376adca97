"""The OWNER/DEADLINE span model's speed: words/s on the dev split's recommendation windows, and what it
and the parse checks add to analyse(), each against a reference run in this same process.

The references: spaCy's blank English tokenizer over the same windows (the cheapest thing that reads
the words), and analyse() with method="rules" (no span model, no parse) over the same records. Run on
one core for the card's figure:

    OMP_NUM_THREADS=1 python benchmarks/span_model.py            # the dev split, 3 repeats
    OMP_NUM_THREADS=1 python benchmarks/span_model.py --smoke    # a few records once
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import spacy

from recqual.analyse import analyse
from recqual.checks import bundled
from recqual.corpus.build import read_split
from recqual.nlp import spans, syntax
from recqual.train import spans as training

ROOT = Path(__file__).resolve().parents[1]


def best_seconds(run, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="three records, once")
    args = parser.parse_args()
    records = read_split("dev", ROOT / "corpus/annotated")
    records, repeats = (records[:3], 1) if args.smoke else (records, 3)
    docs, _ = training.examples(records, spacy.blank("en"))
    texts = [d.text for d in docs]
    words = sum(len(d) for d in docs)
    tokenizer, model, parser_ = spacy.blank("en").tokenizer, spans.pipeline(), syntax.pipeline()
    model(texts[0]), parser_(texts[0])  # loaded before timing
    ref = best_seconds(lambda: [tokenizer(t) for t in texts], repeats)
    span_s = best_seconds(lambda: list(model.pipe(texts)), repeats)
    parse_s = best_seconds(lambda: list(parser_.pipe(texts)), repeats)
    print(f"{len(texts)} recommendation windows, {words:,} words")
    print(f"span model: {words / span_s:,.0f} words/s ({span_s / ref:.1f}x the blank tokenizer's time)")
    print(f"syntax pipeline (tagger, parser) on the same windows: {words / parse_s:,.0f} words/s ({parse_s / ref:.1f}x)")
    rules = best_seconds(lambda: [analyse(r["text"], method="rules") for r in records], repeats)
    combined = best_seconds(lambda: [analyse(r["text"], method="combined") for r in records], repeats)
    # The same, with the span model and the parse checks (bundled and vague actions) switched off.
    saved = spans.find, bundled.actions, syntax.noun_uses
    spans.find, bundled.actions, syntax.noun_uses = (lambda *a, **k: []), (lambda *a, **k: []), (lambda *a, **k: set())
    try:
        without = best_seconds(lambda: [analyse(r["text"], method="combined") for r in records], repeats)
    finally:
        spans.find, bundled.actions, syntax.noun_uses = saved
    per = 1000 / len(records)
    print(f"analyse(): combined {combined * per:.0f} ms per record, {combined / rules:.2f}x rules only ({rules * per:.0f} ms)")
    print(f"analyse(): combined without the span model and parse checks {without * per:.0f} ms per record ({combined / without:.2f}x is what they add)")
    print(f"reference (blank tokenizer): {words / ref:,.0f} words/s; spread across repeats is not shown, ratios are what to compare")


if __name__ == "__main__":
    main()
