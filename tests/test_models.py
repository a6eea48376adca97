"""The committed models: they load safely, stay small, and the parser still parses English as its card says."""

import json
from pathlib import Path

import numpy as np
import pytest

from recqual.nlp import model_file, models
from recqual.train import syntax


def test_models_folder_stays_under_60_mb(root):
    size = sum(f.stat().st_size for f in (root / "models").rglob("*") if f.is_file())
    assert size < 60 * 1024 * 1024


def test_every_model_file_loads_with_trusted_types_only(root):
    files = sorted((root / "models").glob("*.npz"))
    assert sorted(f.stem for f in files) == ["concerns", "concerns-words-only", "links"]
    for file in files:
        bundle = models.load(file.stem)
        assert bundle  # and vocabularies are back as dicts, ready to transform
        for value in bundle.values():
            assert not hasattr(value, "vocabulary_") or isinstance(value.vocabulary_, dict)


def test_a_saved_bundle_predicts_exactly_as_the_fitted_one(tmp_path):
    # Each kind of estimator recqual trains, fitted on fictional sentences, saved and read back.
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    texts = ["PEP not yet written", "doing well at school", "no school place", "enjoys football", "hair care not known", "contact going well"] * 5
    labels = np.array(["concern", "none", "concern", "none", "concern", "none"] * 5, dtype=object)
    words = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit(texts)
    meta = DictVectorizer().fit([{"section": "education"}, {"section": "health"}])
    X = words.transform(texts)
    linear = LogisticRegression(random_state=0).fit(X, labels)
    trees = HistGradientBoostingClassifier(max_iter=20, min_samples_leaf=2, random_state=0).fit(X.toarray(), labels == "concern")
    bundle = {"words": words, "meta": meta, "concern": linear, "links": trees, "threshold": np.float64(0.7), "domains": ["education"], "merge": 2}
    saved = models.save(bundle, "toy", tmp_path)
    back = model_file.read(saved)
    assert back["threshold"] == 0.7 and isinstance(back["threshold"], np.float64) and back["domains"] == ["education"] and back["merge"] == 2
    Y = back["words"].transform(texts)
    assert (Y != X).nnz == 0
    assert back["meta"].transform([{"section": "health"}]).toarray().tolist() == meta.transform([{"section": "health"}]).toarray().tolist()
    assert np.array_equal(back["concern"].predict_proba(Y), linear.predict_proba(X))
    assert list(back["concern"].predict(Y)) == list(linear.predict(X))
    assert np.array_equal(back["links"].predict_proba(Y.toarray()), trees.predict_proba(X.toarray()))
    # Nothing that differs between processes is written, so the same training writes the same manifest.
    with np.load(saved) as archive:
        assert hasattr(words, "_stop_words_id") and b"_stop_words_id" not in bytes(archive["manifest"])


@pytest.fixture
def models_dir(tmp_path, monkeypatch):
    """An empty models folder in place of the repository's, with the load cache cleared around it."""
    monkeypatch.setattr(models, "MODELS_DIR", tmp_path)
    models.load.cache_clear()
    yield tmp_path
    models.load.cache_clear()


def _tampered(models_dir: Path, manifest: dict, **arrays: np.ndarray) -> None:
    members = {"manifest": np.frombuffer(json.dumps(manifest).encode(), dtype=np.uint8), **arrays}
    with (models_dir / "evil.npz").open("wb") as out:
        np.savez(out, **members)


def test_a_model_file_naming_an_untrusted_type_is_refused(models_dir):
    # A tampered file (here naming os.system, and a class that runs code when built) must not be loaded, let alone run.
    for name in ("os.system", "zipfile.ZipFile", "subprocess.Popen"):
        _tampered(models_dir, {"format": model_file.FORMAT, "bundle": {"dict": {"model": {"object": name, "state": {"dict": {}}}}}})
        with pytest.raises(models.ModelMissing, match=f"evil.npz cannot be loaded: it names {name}, which recqual does not trust"):
            models.load("evil")
        models.load.cache_clear()


def test_a_model_file_holding_a_pickle_is_refused(models_dir):
    # An object array can only be stored by pickling it; reading one would run the pickle's code.
    _tampered(models_dir, {"format": model_file.FORMAT, "bundle": {"array": "a0"}}, a0=np.array([print], dtype=object))
    with pytest.raises(models.ModelMissing, match="evil.npz cannot be loaded: it is not a model archive"):
        models.load("evil")


def test_a_file_that_is_not_a_model_archive_is_refused(models_dir):
    (models_dir / "evil.npz").write_bytes(b"not a zip at all")
    with pytest.raises(models.ModelMissing, match="evil.npz cannot be loaded: it is not a model archive.*recqual train"):
        models.load("evil")


def test_saving_refuses_what_the_format_cannot_hold_safely(tmp_path):
    import zipfile

    with pytest.raises(model_file.ModelFileError, match="zipfile.ZipFile is not a type recqual trusts"):
        models.save({"model": zipfile.ZipFile}, "bad", tmp_path)
    with pytest.raises(model_file.ModelFileError, match="object array"):
        models.save({"labels": np.array([1, "a"], dtype=object)}, "bad", tmp_path)


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
