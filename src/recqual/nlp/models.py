"""Where the trained models live, and loading each once per process."""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

# The repository's models/ folder (the package is installed editable from the repository, as
# the README says); RECQUAL_MODELS points elsewhere, e.g. to a folder deployed beside a wheel.
MODELS_DIR = Path(os.environ.get("RECQUAL_MODELS", Path(__file__).resolve().parents[3] / "models"))

# How the analyser finds concerns and links: the rules alone, the trained models alone, or
# both (the default, the best on the dev split: see models/README.md for the ablation).
METHODS = ("rules", "model", "combined")

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
    return sio.load(file, trusted=TRUSTED)


def save(bundle: dict[str, Any], name: str, folder: Path | None = None) -> Path:
    """Write a model bundle as `<folder>/<name>.skops` and check it loads back with only trusted types."""
    import zipfile

    import skops.io as sio

    file = (folder or MODELS_DIR) / f"{name}.skops"
    file.parent.mkdir(parents=True, exist_ok=True)
    # Deflated: the vectorisers' vocabularies are stored as verbose JSON (16 MB raw, ~1 MB packed).
    sio.dump(bundle, file, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    untrusted = [t for t in sio.get_untrusted_types(file=file) if t not in TRUSTED]
    if untrusted:
        raise ModelMissing(f"{file} would need untrusted types: {', '.join(untrusted)}")
    return file
