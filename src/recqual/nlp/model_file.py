"""The file format of the trained scikit-learn bundles: numbers in NumPy arrays, everything else in JSON.

A bundle (a dict of fitted estimators and settings) is written as one `.npz` archive: every array
is a `.npy` member, and a `manifest` member holds the rest as JSON, with each estimator named by
its class and given its fitted attributes. Reading runs no code from the file: arrays are loaded
with pickling refused, and an object is rebuilt only if its class is on the trusted list, by
setting the attributes the manifest gives it.

Why not skops, which does the same job: importing skops lists every scikit-learn estimator, which
imports all of scikit-learn (and Dask, when installed), about 2.5 s of the 4 s `recqual analyse`
may take to start, to load three small linear and tree models.
"""

from __future__ import annotations

import importlib
import json
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

FORMAT = "recqual-model-v1"

# The only classes a model file may name. Anything else is refused before any object is built.
TRUSTED = frozenset(
    {
        "numpy.float64",  # as a vectoriser's dtype setting
        "sklearn.ensemble._hist_gradient_boosting.binning._BinMapper",
        "sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingClassifier",
        "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
        "sklearn.feature_extraction._dict_vectorizer.DictVectorizer",
        "sklearn.feature_extraction.text.TfidfTransformer",
        "sklearn.feature_extraction.text.TfidfVectorizer",
        "sklearn.linear_model._logistic.LogisticRegression",
        "sklearn.preprocessing._label.LabelEncoder",
    }
)

# Fitted attributes the format does not carry: a random generator used only while fitting, a
# vectorizer's memo of its stop list's address in memory (different in every process, so saving it
# gave two identical trainings different manifests), and a gradient-boosting model's loss (part
# compiled code), which reading rebuilds from its settings.
REBUILT = {
    "sklearn.ensemble._hist_gradient_boosting.gradient_boosting.HistGradientBoostingClassifier": {
        "_loss": lambda estimator: estimator._get_loss(sample_weight=None),
    },
}
NOT_SAVED = {"_feature_subsample_rng", "_stop_words_id"} | {attribute for rebuilt in REBUILT.values() for attribute in rebuilt}


class ModelFileError(ValueError):
    """A model file that is not a readable recqual model bundle, or names a class not trusted."""


def _name(kind: type) -> str:
    return f"{kind.__module__}.{kind.__qualname__}"


class _Writer:
    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}

    def array(self, value: np.ndarray) -> dict[str, Any]:
        key = f"a{len(self.arrays)}"
        if value.dtype == object:  # text labels: stored as fixed-width text, so no pickling is needed to read them
            if not all(isinstance(v, str) for v in value.flat):
                raise ModelFileError(f"an object array holding {sorted({type(v).__name__ for v in value.flat})} cannot be saved")
            self.arrays[key] = value.astype(str)
            return {"array": key, "object": True}
        self.arrays[key] = value
        return {"array": key}

    def encode(self, value: Any) -> Any:
        if isinstance(value, np.generic):  # before the Python types: numpy.float64 is a float too
            return {"scalar": value.dtype.str, "value": value.item()}
        if value is None or isinstance(value, bool | int | float | str):
            return value
        if isinstance(value, np.ndarray):
            return self.array(value)
        if isinstance(value, list):
            return [self.encode(v) for v in value]
        if isinstance(value, tuple):
            return {"tuple": [self.encode(v) for v in value]}
        if isinstance(value, dict):
            if not all(isinstance(k, str) for k in value):
                raise ModelFileError("a dict with keys other than text cannot be saved")
            return {"dict": {k: self.encode(v) for k, v in value.items()}}
        if isinstance(value, type):
            return {"type": self.trusted(value)}
        state = {k: v for k, v in vars(value).items() if k not in NOT_SAVED}
        return {"object": self.trusted(type(value)), "state": self.encode(state)}

    @staticmethod
    def trusted(kind: type) -> str:
        if _name(kind) not in TRUSTED:
            raise ModelFileError(f"{_name(kind)} is not a type recqual trusts in a model file")
        return _name(kind)


def write(bundle: dict[str, Any], file: Path) -> None:
    """Write `bundle` to `file` (an .npz archive); raise ModelFileError for anything the format cannot hold."""
    import sklearn

    writer = _Writer()
    manifest = {"format": FORMAT, "sklearn": sklearn.__version__, "bundle": writer.encode(bundle)}
    members = {"manifest": np.frombuffer(json.dumps(manifest).encode(), dtype=np.uint8), **writer.arrays}
    with file.open("wb") as out:
        np.savez_compressed(out, **members)


def _trusted_type(name: str) -> type:
    if name not in TRUSTED:
        raise ModelFileError(f"it names {name}, which recqual does not trust")
    module, _, attribute = name.rpartition(".")
    return getattr(importlib.import_module(module), attribute)


class _Reader:
    def __init__(self, arrays: Any) -> None:
        self.arrays = arrays

    def decode(self, value: Any) -> Any:
        if isinstance(value, list):
            return [self.decode(v) for v in value]
        if not isinstance(value, dict):
            return value
        if "array" in value:
            array = self.arrays[value["array"]]
            return array.astype(object) if value.get("object") else array
        if "scalar" in value:
            return np.dtype(value["scalar"]).type(value["value"])
        if "tuple" in value:
            return tuple(self.decode(v) for v in value["tuple"])
        if "dict" in value:
            return {k: self.decode(v) for k, v in value["dict"].items()}
        if "type" in value:
            return _trusted_type(value["type"])
        if "object" in value:
            kind = _trusted_type(value["object"])
            built = kind.__new__(kind)
            built.__dict__.update(self.decode(value["state"]))
            for attribute, rebuild in REBUILT.get(value["object"], {}).items():
                setattr(built, attribute, rebuild(built))
            return built
        raise ModelFileError(f"it holds an entry recqual cannot read: {sorted(value)}")


def read(file: Path) -> dict[str, Any]:
    """The bundle written to `file`; ModelFileError if it is not one or names a class recqual does not trust."""
    try:
        with np.load(file, allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
    except (OSError, ValueError, zipfile.BadZipFile) as error:
        raise ModelFileError(f"it is not a model archive ({error})") from None
    try:
        manifest = json.loads(arrays.pop("manifest").tobytes())
    except (KeyError, ValueError):
        raise ModelFileError("it has no readable manifest") from None
    if manifest.get("format") != FORMAT:
        raise ModelFileError(f"its format is {manifest.get('format')!r}, not {FORMAT}")
    try:
        return _Reader(arrays).decode(manifest["bundle"])
    except KeyError as error:
        raise ModelFileError(f"it refers to a missing array {error}") from None
