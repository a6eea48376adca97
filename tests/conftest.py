"""Shared helpers for the tests: every record here is fictional."""

from __future__ import annotations

from pathlib import Path

import pytest

from recqual.analyse import analyse
from recqual.report import Report

ROOT = Path(__file__).resolve().parents[1]

HEADER = """LOOKED AFTER CHILD REVIEW (fictional test record)

Child's name: Tomasz Wrenfield
Date of birth: 02/06/2014
Date of review: 14/03/2025
Review number: 3
IRO: Helen Mossbury
Social worker: Dana Okafor
Date of next review: 10/09/2025

"""


def run(body: str, **kwargs) -> Report:
    """Analyse a fictional record made of the standard header and `body`."""
    return analyse(HEADER + body, **kwargs)


def rec_texts(report: Report) -> list[str]:
    return [" ".join(r.text.split()) for r in report.recommendations]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
