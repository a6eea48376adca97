"""The analyser version a stored result was scored with: a changed vocabulary, rubric or model means re-scoring."""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

import recqual
from recqual.nlp.models import MODELS_DIR  # the folder the analyser loads, RECQUAL_MODELS included

PACKAGE_DIR = Path(recqual.__file__).parent
# Code and page templates do not change a score; vocabulary, rubric and model files do.
NOT_ANALYSER_DATA = {".py", ".pyc", ".pyo", ".html", ".css", ".js"}


def _data_files() -> list[Path]:
    """Every data file the analyser reads: the YAML vocabulary and rubric, and any model files."""
    files = [p for p in PACKAGE_DIR.rglob("*") if p.is_file() and p.suffix not in NOT_ANALYSER_DATA and "__pycache__" not in p.parts]
    if MODELS_DIR.is_dir():
        files += [p for p in MODELS_DIR.rglob("*") if p.is_file()]
    return sorted(files)


@functools.cache
def _data_digest() -> str:
    digest = hashlib.sha256()
    for path in _data_files():
        base = PACKAGE_DIR if path.is_relative_to(PACKAGE_DIR) else MODELS_DIR.parent
        digest.update(path.relative_to(base).as_posix().encode())
        digest.update(b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:12]


def analyser_version(rubric: dict[str, Any] | None = None) -> str:
    """'0.1.0+<digest>': the package version and a digest of its data files (and of a custom rubric, when one is used)."""
    digest = _data_digest()
    if rubric is not None:
        custom = hashlib.sha256(json.dumps(rubric, sort_keys=True, default=str).encode()).hexdigest()[:8]
        digest = f"{digest}.r{custom}"
    return f"{recqual.__version__}+{digest}"
