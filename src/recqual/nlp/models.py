"""Where the trained models live, and loading each once per process."""

from __future__ import annotations

import contextlib
import copy
import functools
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# The repository's models/ folder (the package is installed editable from the repository, as
# the README says); RECQUAL_MODELS points elsewhere, e.g. to a folder deployed beside a wheel.
MODELS_DIR = Path(os.environ.get("RECQUAL_MODELS", Path(__file__).resolve().parents[3] / "models"))

# How the analyser finds concerns and links: the rules alone, the trained models alone, or
# both (the default, the best on the dev split: see models/README.md for the ablation).
METHODS = ("rules", "model", "combined")
# The concern classifier each trained method uses: with the rule features, or reading the words alone.
CONCERN_BUNDLES = {"combined": "concerns", "model": "concerns-words-only"}

# The only types a model file may contain; skops refuses anything else, so a tampered file
# cannot run code when it is loaded.
TRUSTED = [
    "collections.OrderedDict",
    "numpy.dtype",
    "numpy.float64",
    "numpy.int64",
    "numpy.ndarray",
    "numpy.str_",
    "scipy.sparse._csr.csr_matrix",
    "sklearn._loss.link.Interval",
    "sklearn._loss.link.LogitLink",
    "sklearn._loss.loss.HalfBinomialLoss",
    "sklearn.ensemble._hist_gradient_boosting.binning._BinMapper",
    "sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingClassifier",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn.feature_extraction._dict_vectorizer.DictVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.linear_model._logistic.LogisticRegression",
]


class ModelMissing(RuntimeError):
    """A model file the analyser needs is not in the models folder."""


def path(name: str) -> Path:
    return MODELS_DIR / name


@functools.cache
def load(name: str) -> dict[str, Any]:
    """The model bundle saved as `models/<name>.skops` (a dict of fitted estimators and settings)."""
    import skops.io as sio

    file = path(f"{name}.skops")
    if not file.exists():
        raise ModelMissing(f"{file} is missing: run `recqual train` or use --method rules")
    untrusted = [t for t in sio.get_untrusted_types(file=file) if t not in TRUSTED]
    if untrusted:
        raise ModelMissing(f"{file} holds types recqual does not trust: {', '.join(untrusted)}")
    return _unpack(sio.load(file, trusted=TRUSTED))


# skops writes a dict as one JSON object per entry, and reading 40,000 vocabulary entries back
# that way takes seconds; a vectoriser's vocabulary is therefore saved as one array of terms.
def _pack(bundle: dict[str, Any]) -> dict[str, Any]:
    import numpy as np

    packed = dict(bundle)
    for key, value in bundle.items():
        vocabulary = getattr(value, "vocabulary_", None)
        if isinstance(vocabulary, dict):
            terms = np.empty(len(vocabulary), dtype=object)
            for term, index in vocabulary.items():
                terms[index] = term
            packed[f"{key}.terms"] = terms.astype(str)
            clone = copy.copy(value)
            del clone.vocabulary_
            packed[key] = clone
    return packed


def _unpack(bundle: dict[str, Any]) -> dict[str, Any]:
    for key in [k for k in bundle if k.endswith(".terms")]:
        terms = bundle.pop(key)
        bundle[key[: -len(".terms")]].vocabulary_ = {str(term): i for i, term in enumerate(terms)}
    return bundle


def save(bundle: dict[str, Any], name: str, folder: Path | None = None) -> Path:
    """Write a model bundle as `<folder>/<name>.skops` and check it loads back with only trusted types."""
    import zipfile

    import skops.io as sio

    file = (folder or MODELS_DIR) / f"{name}.skops"
    file.parent.mkdir(parents=True, exist_ok=True)
    # Deflated: the vectorisers' vocabularies are stored as verbose JSON (16 MB raw, ~1 MB packed).
    sio.dump(_pack(bundle), file, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    untrusted = [t for t in sio.get_untrusted_types(file=file) if t not in TRUSTED]
    if untrusted:
        raise ModelMissing(f"{file} would need untrusted types: {', '.join(untrusted)}")
    return file


def preload(method: str = "combined") -> None:
    """Load the model files `method` needs now (e.g. in a fork server, so every worker inherits them)."""
    if method != "rules":
        from recqual.nlp import spans, syntax

        load(CONCERN_BUNDLES[method])
        load("links")
        spans.pipeline()
        syntax.pipeline()  # the vague- and bundled-action checks parse every recommendation


class _Analyses:
    """The analyses under way in this process. Threads (a Dask worker's) may run several at once and
    share the pipelines, so the zone opens with the first and closes after the last: closing it
    under another analysis would drop strings its parses still use."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.running = 0
        self.zones = contextlib.ExitStack()


_ANALYSES = _Analyses()


@contextlib.contextmanager
def transient() -> Iterator[None]:
    """One analysis: what the spaCy pipelines keep of the texts they read is dropped when it ends
    (the parses, and the strings the texts added to the loaded pipelines' vocabularies), so a
    long-lived worker holds no record's words between checks. A pipeline first loaded during the
    analysis keeps that record's strings; `preload` loads them first where it matters."""
    from recqual.nlp import spans, syntax

    with _ANALYSES.lock:
        if _ANALYSES.running == 0:
            for pipeline in (syntax.pipeline, spans.pipeline):
                if pipeline.cache_info().currsize:
                    _ANALYSES.zones.enter_context(pipeline().memory_zone())
        _ANALYSES.running += 1
    try:
        yield
    finally:
        with _ANALYSES.lock:
            _ANALYSES.running -= 1
            if _ANALYSES.running == 0:
                syntax.forget()  # the parses belong to the zone and must not outlive it
                _ANALYSES.zones.close()
