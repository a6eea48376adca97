"""Headless Chromium for the browser tests (the page and the extension): Debian's chromium and chromedriver.

A browser test module calls `require_chromium()` first: it skips the module when Chromium is not
installed, except where RECQUAL_REQUIRE_BROWSER is set (.ci/run sets it after installing Debian's
chromium and chromium-driver), so that CI always runs the browser tests.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run --disable-background-networking --disable-component-update --disable-sync"
)
ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


def require_chromium() -> None:
    if Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists():
        return
    message = "headless Chromium is not installed (apt-get install -y chromium chromium-driver); .ci/run installs it"
    if os.environ.get("RECQUAL_REQUIRE_BROWSER"):
        raise RuntimeError(message)
    pytest.skip(message, allow_module_level=True)


@contextmanager
def chromium(*arguments: str) -> Iterator:
    """A selenium driver for headless Chromium with a fresh profile, and `arguments` added to the flags."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS.split(), *arguments):
        options.add_argument(flag)
    profile = tempfile.mkdtemp(prefix="recqual-chromium-")
    options.add_argument(f"--user-data-dir={profile}")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
