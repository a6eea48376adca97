"""The OWNER and DEADLINE span model from the corpus train split: each recommendation's window
(as the analyser finds it at run time) with the gold owner and deadline spans inside it."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from recqual.analyse import LETTER
from recqual.corpus.build import read_split
from recqual.evaluate import PRF
from recqual.nlp import spans
from recqual.segment.items import find_items
from recqual.segment.lines import split_lines
from recqual.segment.sections import split_sections

CONFIG = Path(__file__).parent / "configs" / "spans.cfg"
SPANS_KEY = "sc"


def windows(record: dict[str, Any]) -> list[tuple[int, int]]:
    """The windows the analyser would give the model on this record, one per candidate recommendation."""
    text = record["text"]
    lines = split_lines(text)
    sections = split_sections(lines, len(text))
    items = find_items(text, lines, sections, bool(LETTER.search(text[:1500])))
    return [spans.window(item.span, item.region) for item in items]


def examples(records: list[dict[str, Any]], nlp: Any) -> tuple[list[Any], int]:
    """One spaCy Doc per window with the gold OWNER and DEADLINE spans that lie wholly inside it,
    and how many gold spans inside a window could not be aligned to its tokens (left out)."""
    docs, misaligned = [], 0
    for record in records:
        gold = [(x["label"], x["start"], x["end"]) for x in record["spans"] if x["label"] in spans.LABELS]
        for s, e in windows(record):
            doc = nlp.make_doc(record["text"][s:e])
            ents = []
            for label, gs, ge in gold:
                if s <= gs and ge <= e:
                    span = doc.char_span(gs - s, ge - s, label=label, alignment_mode="expand")
                    if span is None or any(span.start < x.end and x.start < span.end for x in ents):
                        misaligned += 1
                        continue
                    ents.append(span)
            doc.ents = sorted(ents, key=lambda x: x.start)
            doc.spans[SPANS_KEY] = list(doc.ents)  # the same spans for a spancat config
            docs.append(doc)
    return docs, misaligned


def write_corpus(corpus_dir: Path, work: Path) -> dict[str, Any]:
    """train.spacy and dev.spacy in `work`, and the counts."""
    import spacy
    from spacy.tokens import DocBin

    work.mkdir(parents=True, exist_ok=True)
    nlp = spacy.blank("en")
    counts: dict[str, Any] = {}
    for split in ("train", "dev"):
        docs, misaligned = examples(read_split(split, corpus_dir), nlp)
        DocBin(docs=docs, store_user_data=False).to_disk(work / f"{split}.spacy")
        counts[split] = {"windows": len(docs), "spans": sum(len(d.ents) for d in docs), "misaligned": misaligned}
    return counts


def train(corpus_dir: Path, out_dir: Path, work: Path, seed: int) -> dict[str, Any]:
    """Train with spaCy's own trainer and the committed config; the best model on dev goes to `out_dir/spans`."""
    from spacy.cli.train import train as spacy_train

    counts = write_corpus(corpus_dir, work / "spans-data")
    output = work / "spans"
    spacy_train(
        CONFIG,
        output,
        overrides={"paths.train": str(work / "spans-data" / "train.spacy"), "paths.dev": str(work / "spans-data" / "dev.spacy"), "system.seed": seed},
    )
    target = out_dir / "spans"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(output / "model-best", target)
    return {"data": counts, "dev": score(target, corpus_dir, "dev")}


def score(model: Path, corpus_dir: Path, split: str) -> dict[str, Any]:
    """Exact-span precision, recall and F1 per label on a split's windows."""
    import spacy

    return score_records(spacy.load(model), read_split(split, corpus_dir))


def score_records(nlp: Any, records: list[dict[str, Any]]) -> dict[str, Any]:
    """Exact-span precision, recall and F1 per label of the pipeline `nlp` on the windows of `records`."""
    import spacy

    docs, _ = examples(records, spacy.blank("en"))
    metrics = {label: PRF() for label in spans.LABELS}
    for gold, pred in zip(docs, nlp.pipe(d.text for d in docs), strict=True):
        g = {(x.label_, x.start_char, x.end_char) for x in gold.ents}
        p = {(x.label_, x.start_char, x.end_char) for x in pred.ents}
        for label, metric in metrics.items():
            metric.tp += len({x for x in g & p if x[0] == label})
            metric.fp += len({x for x in p - g if x[0] == label})
            metric.fn += len({x for x in g - p if x[0] == label})
    return {label: metric.result() for label, metric in metrics.items()}
