"""Compare the shipped OWNER/DEADLINE span model (NER) with a spancat model trained on the same data:
words/s on one core, and the dev-split figures of `recqual evaluate` with each behind the analyser.

    python -m spacy train src/recqual/train/configs/spans-spancat.cfg -o build/spancat \\
        --paths.train build/train/spans-data/train.spacy --paths.dev build/train/spans-data/dev.spacy
    OMP_NUM_THREADS=1 python scripts/compare_span_models.py build/spancat/model-best

(`recqual train --only spans` writes build/train/spans-data.) A spancat model may propose
overlapping spans; the best-scoring ones that do not overlap are kept.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import spacy

from recqual import evaluate
from recqual.corpus.build import read_split
from recqual.nlp import spans
from recqual.train import spans as training

ROOT = Path(__file__).resolve().parents[1]


def spancat_finder(nlp: spacy.Language):
    def find(text: str, span: tuple[int, int], region: tuple[int, int] | None = None) -> list[spans.Found]:
        s, e = spans.window(span, region)
        group = nlp(text[s:e]).spans[training.SPANS_KEY]
        chosen: list = []
        for sp, _ in sorted(zip(group, group.attrs["scores"], strict=True), key=lambda x: -float(x[1])):
            if all(sp.end <= c.start or c.end <= sp.start for c in chosen):
                chosen.append(sp)
        return [spans.Found(x.label_, s + x.start_char, s + x.end_char) for x in sorted(chosen, key=lambda x: x.start)]

    return find


def main(spancat_dir: str) -> None:
    spancat = spacy.load(spancat_dir)
    docs, _ = training.examples(read_split("dev", ROOT / "corpus/annotated"), spacy.blank("en"))
    texts = [d.text for d in docs]
    words = sum(len(d) for d in docs)
    for name, nlp in (("ner (shipped)", spans.pipeline()), ("spancat", spancat)):
        started = time.perf_counter()
        list(nlp.pipe(texts))
        print(f"{name}: {words / (time.perf_counter() - started):,.0f} words/s over {len(texts)} dev windows")
    shipped = spans.find
    for name, find in (("ner (shipped)", shipped), ("spancat", spancat_finder(spancat))):
        spans.find = find
        for method in ("model", "combined"):
            r = evaluate.evaluate("dev", ROOT / "corpus/annotated", method=method)
            print(
                f"{name} {method}: owner {r['owner']['accuracy']:.3f}, missing-owner F1 {r['missing_owner']['f1']:.3f}, "
                f"missing/vague deadline F1 {r['missing_or_vague_deadline']['f1']:.3f}, kind {r['deadline_kind']['accuracy']:.3f}, date {r['deadline_date']['accuracy']:.3f}"
            )
    spans.find = shipped


if __name__ == "__main__":
    main(sys.argv[1])
