"""Fixtures for the browser extension: its built folder, the fictional case-recording page, a running
`recqual serve` for it to check against, and headless Chromium with the extension loaded."""

from __future__ import annotations

import functools
import hashlib
import http.server
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from recqual.plugin_build import build
from serving import Served, recqual_serve

ROOT = Path(__file__).resolve().parents[2]
CASE_PAGE = ROOT / "tests/fixtures/case-recording"
API_KEY = "test-key-not-a-secret"
MAX_REQUEST_BYTES = 200_000  # small, so that the test of a record too long to check stays quick
# Case-recording systems send a strict policy; the extension must work under it.
PAGE_POLICY = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"


@pytest.fixture(scope="session")
def record_text() -> str:
    """A fictional review record (examples/review-record.txt)."""
    return (ROOT / "examples/review-record.txt").read_text(encoding="utf-8")


def extension_id(folder: Path) -> str:
    """The id Chromium gives an unpacked extension: the SHA-256 of its folder's path, first 32 hex digits written a-p."""
    digest = hashlib.sha256(str(folder.resolve()).encode("utf-8")).hexdigest()[:32]
    return "".join(chr(ord("a") + int(digit, 16)) for digit in digest)


@pytest.fixture(scope="session")
def unpacked_extension(tmp_path_factory) -> Path:
    """The extension as shipped: the zip the build command writes, unzipped, so the test runs what users install."""
    where = tmp_path_factory.mktemp("extension")
    archive = build(out_dir=where / "dist")
    folder = where / "unpacked"
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(folder)
    return folder.resolve()


@pytest.fixture(scope="session")
def endpoint(unpacked_extension) -> Iterator[Served]:
    """`recqual serve` with an API key, a small size limit, and this extension's origin on its CORS allow-list (as the README says to set it)."""
    settings = {
        "RECQUAL_API_KEY": API_KEY,
        "RECQUAL_WORKERS": "1",
        "RECQUAL_MAX_REQUEST_BYTES": str(MAX_REQUEST_BYTES),
        "RECQUAL_CORS_ORIGINS": f"chrome-extension://{extension_id(unpacked_extension)}",
    }
    with recqual_serve(settings) as server:
        yield server


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", PAGE_POLICY)
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="session")
def case_page() -> Iterator[str]:
    """The fictional case-recording form, served on localhost with a strict Content-Security-Policy; yields its URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(CASE_PAGE)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/index.html"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser(unpacked_extension) -> Iterator:
    """Headless Chromium (new headless mode, which runs extensions) with only this extension loaded.

    --enable-unsafe-extension-debugging lets the test press the toolbar button through the DevTools
    protocol, as a headless browser has no toolbar to click.
    """
    from browser_support import chromium, require_chromium

    require_chromium()
    folder = str(unpacked_extension)
    arguments = ("--window-size=1280,1000", "--enable-unsafe-extension-debugging", f"--load-extension={folder}", f"--disable-extensions-except={folder}")
    with chromium(*arguments) as driver:
        yield driver
