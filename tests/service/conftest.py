"""Fixtures for the HTTP service and the page: apps whose worker pools are stopped after use, and a running `recqual serve`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from recqual.service import create_app
from serving import recqual_serve

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def record_text() -> str:
    return (ROOT / "examples/review-record.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def previous_text() -> str:
    return (ROOT / "examples/previous-review-record.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def app() -> Iterator[Flask]:
    """The ready app with default settings, shared by the tests that need nothing special."""
    app = create_app({})
    yield app
    app.extensions["recqual"].pool.close()


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def make_app():
    """Build an app with particular settings; its workers (if any started) are stopped afterwards."""
    made: list[Flask] = []

    def build(**config) -> Flask:
        made.append(create_app(config))
        return made[-1]

    yield build
    for app in made:
        app.extensions["recqual"].pool.close()


@pytest.fixture(scope="session")
def served() -> Iterator[str]:
    """`recqual serve` (waitress) on a free port, as a user starts it; yields its base URL."""
    with recqual_serve() as server:
        yield server.url
