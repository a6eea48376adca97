"""The English syntax pipeline (sentences, tags, morphology, lemmas, dependencies) from UD English EWT."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

CONFIG = Path(__file__).parent / "configs" / "syntax.cfg"
TREEBANK = Path(__file__).resolve().parents[4] / "shared" / "data" / "ud-english-ewt"
SPLITS = {"train": "en_ewt-ud-train.conllu", "dev": "en_ewt-ud-dev.conllu", "test": "en_ewt-ud-test.conllu"}


def convert(treebank: Path, work: Path) -> dict[str, Path]:
    """The treebank's CoNLL-U files as spaCy DocBin files, ten sentences per document (so the
    parser learns where sentences end)."""
    from spacy.cli.convert import convert as spacy_convert

    work.mkdir(parents=True, exist_ok=True)
    out = {}
    for split, name in SPLITS.items():
        source = treebank / name
        if not source.exists():
            raise FileNotFoundError(f"{source}: the UD English EWT treebank file is missing")
        spacy_convert(source, work, converter="conllu", n_sents=10, file_type="spacy", silent=True)
        out[split] = work / f"{source.stem}.spacy"
    return out


def train(treebank: Path, out_dir: Path, work: Path, seed: int) -> Path:
    """Train with spaCy's own trainer and the committed config; the best model on dev goes to `out_dir/syntax`."""
    from spacy.cli.train import train as spacy_train

    data = convert(treebank, work / "ud")
    output = work / "syntax"
    spacy_train(CONFIG, output, overrides={"paths.train": str(data["train"]), "paths.dev": str(data["dev"]), "system.seed": seed})
    target = out_dir / "syntax"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(output / "model-best", target)
    return target


def evaluate(model: Path, docbin: Path) -> dict[str, Any]:
    """Sentence F, UPOS, XPOS, morphology, lemma accuracy, UAS and LAS on a converted split."""
    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.load(model)
    return score(nlp, list(DocBin().from_disk(docbin).get_docs(nlp.vocab)))


def read_conllu(path: Path, nlp: Any) -> list[Any]:
    """Gold documents from a CoNLL-U file, ten sentences each, as `convert` makes them."""
    from spacy.tokens import DocBin
    from spacy.training.converters import conllu_to_docs

    docs = conllu_to_docs(path.read_text(encoding="utf-8"), n_sents=10, no_print=True)
    return list(DocBin(docs=docs, store_user_data=False).get_docs(nlp.vocab))


def score(nlp: Any, gold: list[Any]) -> dict[str, Any]:
    """The pipeline's figures against gold documents (it parses their raw text, as at run time)."""
    from spacy.training import Example

    examples = [Example(nlp.make_doc(d.text), d) for d in gold]
    scores = nlp.evaluate(examples)
    keys = ["sents_f", "pos_acc", "tag_acc", "morph_acc", "lemma_acc", "dep_uas", "dep_las"]
    return {k: round(float(scores[k]), 4) for k in keys} | {"words": sum(len(d) for d in gold), "sentences": sum(1 for d in gold for _ in d.sents)}
