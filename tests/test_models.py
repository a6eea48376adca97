"""The committed models: they load safely, stay small, and the parser still parses English as its card says."""

import zipfile
from pathlib import Path

import pytest
import skops.io as sio

from recqual.nlp import models
from recqual.train import syntax


def test_models_folder_stays_under_60_mb(root):
    size = sum(f.stat().st_size for f in (root / "models").rglob("*") if f.is_file())
    assert size < 60 * 1024 * 1024


def test_every_model_file_loads_with_trusted_types_only(root):
    for file in (root / "models").glob("*.skops"):
        assert [t for t in sio.get_untrusted_types(file=file) if t not in models.TRUSTED] == []
        bundle = models.load(file.stem)
        assert bundle  # and vocabularies are back as dicts, ready to transform
        for value in bundle.values():
            assert not hasattr(value, "vocabulary_") or isinstance(value.vocabulary_, dict)


@pytest.fixture
def models_dir(tmp_path, monkeypatch):
    """An empty models folder in place of the repository's, with the load cache cleared around it."""
    monkeypatch.setattr(models, "MODELS_DIR", tmp_path)
    models.load.cache_clear()
    yield tmp_path
    models.load.cache_clear()


def test_a_model_file_holding_an_untrusted_type_is_refused(models_dir):
    # A tampered file (here: an arbitrary class, zipfile.ZipFile) must not be loaded, let alone run.
    sio.dump({"model": zipfile.ZipFile}, models_dir / "evil.skops")
    with pytest.raises(models.ModelMissing, match="does not trust"):
        models.load("evil")


def test_a_missing_model_names_the_file_and_the_remedy(models_dir):
    with pytest.raises(models.ModelMissing, match="recqual train"):
        models.load("concerns")


def test_the_parser_meets_its_card_on_treebank_sentences_it_never_saw(root):
    # The first 300 sentences of the UD EWT test split (tests/fixtures/ud-ewt/); the card
    # reports the whole test split: UPOS 0.944, LAS 0.796. Margins allow for the small sample.
    import spacy

    nlp = spacy.load(root / "models" / "syntax")
    figures = syntax.score(nlp, syntax.read_conllu(root / "tests/fixtures/ud-ewt/en_ewt-ud-test-first300.conllu", nlp))
    assert figures["pos_acc"] >= 0.92
    assert figures["dep_las"] >= 0.75
    assert figures["lemma_acc"] >= 0.92


def test_the_parse_gives_the_passive_agent_as_owner():
    from recqual.nlp.syntax import owner_from_parse

    owner = owner_from_parse("Life story work to be completed by the social worker.", 100, agents_only=True)
    assert owner is not None and owner.text == "the social worker" and owner.role == "social_worker" and owner.span == (135, 152)
    assert owner_from_parse("The PEP to be reviewed.", 0) is None


def test_models_are_loaded_once_per_process():
    assert models.load("links") is models.load("links")


def test_training_config_is_committed_and_seeded():
    text = Path(syntax.CONFIG).read_text(encoding="utf-8")
    assert "seed = 0" in text and "max_steps = 5000" in text


def test_an_analysis_leaves_no_words_of_the_record_in_the_loaded_pipelines():
    # A worker checks record after record: what spaCy read of one must not stay in its memory.
    from recqual.analyse import analyse
    from recqual.nlp import spans
    from recqual.nlp import syntax as parser

    models.preload()
    # No owner, so the span model reads it as well as the parser (fictional, invented words).
    report = analyse("Recommendations\n1. To book the Vellbrindle check for Zqorvanth and consider a review by 30 April 2025.\n")
    assert len(report.recommendations) == 1
    for pipeline in (parser.pipeline(), spans.pipeline()):
        assert "Zqorvanth" not in pipeline.vocab.strings and "Vellbrindle" not in pipeline.vocab.strings
    assert not parser._parsed
