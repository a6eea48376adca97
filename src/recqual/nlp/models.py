"""Where the trained models live, and loading each once per process."""

from __future__ import annotations

import contextlib
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


class ModelMissing(RuntimeError):
    """A model file the analyser needs is not in the models folder."""


def path(name: str) -> Path:
    return MODELS_DIR / name


@functools.cache
def load(name: str) -> dict[str, Any]:
    """The model bundle saved as `models/<name>.npz` (a dict of fitted estimators and settings)."""
    from recqual.nlp import model_file

    file = path(f"{name}.npz")
    if not file.exists():
        raise ModelMissing(f"{file} is missing: run `recqual train` or use --method rules")
    try:
        return model_file.read(file)
    except model_file.ModelFileError as error:
        raise ModelMissing(f"{file} cannot be loaded: {error}; run `recqual train` to rebuild it") from None


def save(bundle: dict[str, Any], name: str, folder: Path | None = None) -> Path:
    """Write a model bundle as `<folder>/<name>.npz` and check it reads back."""
    from recqual.nlp import model_file

    file = (folder or MODELS_DIR) / f"{name}.npz"
    file.parent.mkdir(parents=True, exist_ok=True)
    model_file.write(bundle, file)
    model_file.read(file)
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
