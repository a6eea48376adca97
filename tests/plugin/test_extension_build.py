"""Packaging the browser extension: `python -m recqual.plugin_build` turns plugin/ into the zips users and administrators install."""

from __future__ import annotations

import json
import shutil
import zipfile

import jsonschema
import pytest

from recqual.plugin_build import BuildError, build, extension_files, main

from .conftest import ROOT

PLUGIN = ROOT / "plugin"


def zipped(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def test_the_build_writes_the_same_zip_every_time_with_every_file_of_the_extension(tmp_path):
    first = build(PLUGIN, tmp_path / "one")
    second = build(PLUGIN, tmp_path / "two")
    manifest = json.loads((PLUGIN / "manifest.json").read_text(encoding="utf-8"))
    assert first.name == f"recqual-extension-{manifest['version']}.zip"
    assert first.read_bytes() == second.read_bytes()
    files = zipped(first)
    assert list(files) == [p.relative_to(PLUGIN).as_posix() for p in extension_files(PLUGIN)]
    assert {"manifest.json", "background.js", "content.js", "editor-text.js", "options.html", "managed_schema.json", "icons/icon-128.png"} <= set(files)
    assert all(files[name] == (PLUGIN / name).read_bytes() for name in files)
    with zipfile.ZipFile(first) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_the_firefox_zip_runs_the_same_code_as_background_scripts_under_an_add_on_id(tmp_path):
    chromium = json.loads(zipped(build(PLUGIN, tmp_path, "chromium"))["manifest.json"])
    files = zipped(build(PLUGIN, tmp_path, "firefox"))
    firefox = json.loads(files["manifest.json"])
    assert firefox["background"] == {"scripts": ["settings.js", "endpoint.js", "background.js"]}
    assert firefox["browser_specific_settings"]["gecko"]["id"] == "recqual-check@recqual"
    assert {k: v for k, v in firefox.items() if k not in ("background", "browser_specific_settings")} == {
        k: v for k, v in chromium.items() if k != "background"
    }
    assert all(files[name] == (PLUGIN / name).read_bytes() for name in files if name != "manifest.json")


def test_the_extension_asks_for_no_site_until_the_user_saves_the_service_address():
    manifest = json.loads((PLUGIN / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["manifest_version"] == 3
    assert set(manifest["permissions"]) == {"storage", "activeTab", "scripting"}
    assert "host_permissions" not in manifest
    # Access to a service is asked for at run time, for an https:// site or this computer only.
    assert all(p.startswith("https://") or p in ("http://localhost/*", "http://127.0.0.1/*", "http://[::1]/*") for p in manifest["optional_host_permissions"])
    assert "script-src 'self'" in manifest["content_security_policy"]["extension_pages"]


def test_an_administrators_settings_are_checked_against_the_managed_schema():
    schema = json.loads((PLUGIN / "managed_schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)  # Chromium's policy schemas are a JSON Schema draft 4 subset
    jsonschema.validate({"endpoint": "https://recqual.example.org", "apiKey": "k", "backgroundCheck": False}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"backgroundCheck": "yes"}, schema)


@pytest.fixture()
def copy(tmp_path):
    folder = tmp_path / "plugin"
    shutil.copytree(PLUGIN, folder)
    return folder


def test_a_manifest_naming_a_file_that_is_not_there_is_refused_naming_it(copy, tmp_path, capsys):
    (copy / "panel.css").unlink()
    with pytest.raises(BuildError, match="panel.css"):
        build(copy, tmp_path / "dist")
    assert main(["--source", str(copy), "--out", str(tmp_path / "dist")]) == 2
    assert capsys.readouterr().err.startswith(f"error: {copy}: the manifest names files that are not there: panel.css")
    assert not (tmp_path / "dist").exists()


def test_a_page_that_loads_code_from_another_site_is_refused(copy, tmp_path):
    options = copy / "options.html"
    options.write_text(options.read_text(encoding="utf-8").replace("</body>", '<script src="https://cdn.example.org/x.js"></script></body>'), encoding="utf-8")
    with pytest.raises(BuildError, match="options.html: loads code or content from another site"):
        build(copy, tmp_path)


def test_the_command_builds_both_zips(tmp_path, capsys):
    assert main(["--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert sorted(line.split(" (")[0] for line in printed) == sorted(str(p) for p in tmp_path.glob("*.zip"))
    version = json.loads((PLUGIN / "manifest.json").read_text(encoding="utf-8"))["version"]
    assert {p.name for p in tmp_path.glob("*.zip")} == {f"recqual-extension-{version}.zip", f"recqual-extension-{version}-firefox.zip"}
