"""The code stays ruff clean and ruff formatted."""

import shutil
import subprocess

import pytest


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is installed with the test extras")
def test_ruff_is_clean(root):
    result = subprocess.run(["ruff", "check", "src", "tests"], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


@pytest.mark.skipif(shutil.which("ruff") is None, reason="ruff is installed with the test extras")
def test_ruff_format_is_clean(root):
    result = subprocess.run(["ruff", "format", "--check", "."], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout
