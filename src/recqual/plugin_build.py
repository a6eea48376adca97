"""Build the browser extension's zips from plugin/: `python -m recqual.plugin_build` writes them to dist/.

    dist/recqual-extension-<version>.zip           Chromium browsers (Chrome, Edge): the Web Store, or unzip and load unpacked
    dist/recqual-extension-<version>-firefox.zip   Firefox: the same files, its manifest with background scripts and an add-on id

The zips are byte-for-byte reproducible: files in name order, fixed timestamps and permissions.
The manifest is checked first: every file it names must be there, and the pages must load no
code from elsewhere (an extension's code must ship inside it).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import zipfile
from pathlib import Path
from typing import Any

# The checkout's plugin/ folder (like the page's web/, it is not part of the installed package).
PLUGIN_DIR = Path(__file__).resolve().parents[2] / "plugin"
DIST_DIR = Path("dist")
TIMESTAMP = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can hold: the same bytes on every build
UNIX = 3  # the zip "made by" system, so that the permission bits below are read
FIREFOX = {
    # Firefox needs an add-on id (managed storage and policies refer to it) and runs background
    # scripts, not a service worker. 140 is the Firefox ESR with every API the extension uses.
    "browser_specific_settings": {
        "gecko": {"id": "recqual-check@recqual", "strict_min_version": "140.0", "data_collection_permissions": {"required": ["websiteContent"]}}
    }
}
IMPORTS = re.compile(r"importScripts\(([^)]*)\)")
REMOTE = re.compile(r"""<(script|link|iframe|img)\b[^>]*\b(src|href)\s*=\s*["']?\s*(https?:)?//""", re.IGNORECASE)


class BuildError(Exception):
    """The extension cannot be built as it is; the message names the file and the reason."""


def read_manifest(source: Path) -> dict[str, Any]:
    path = source / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise BuildError(f"{path}: not a readable JSON manifest ({err})") from None
    if manifest.get("manifest_version") != 3:
        raise BuildError(f"{path}: manifest_version must be 3")
    if not re.fullmatch(r"\d+(\.\d+){0,3}", str(manifest.get("version", ""))):
        raise BuildError(f"{path}: version must be one to four dot-separated numbers, not {manifest.get('version')!r}")
    return manifest


def named_files(manifest: dict[str, Any]) -> set[str]:
    """Every file the manifest refers to."""
    names = {manifest["background"]["service_worker"], manifest["options_ui"]["page"], manifest["storage"]["managed_schema"]}
    names |= set(manifest.get("icons", {}).values()) | set(manifest.get("action", {}).get("default_icon", {}).values())
    for script in manifest.get("content_scripts", []):
        names |= set(script.get("js", [])) | set(script.get("css", []))
    for resource in manifest.get("web_accessible_resources", []):
        names |= set(resource["resources"])
    return names


def background_scripts(source: Path, manifest: dict[str, Any]) -> list[str]:
    """The service worker and the scripts it imports, in load order: Firefox's background.scripts."""
    worker = manifest["background"]["service_worker"]
    code = (source / worker).read_text(encoding="utf-8")
    imported = [name for call in IMPORTS.findall(code) for name in re.findall(r"""["']([^"']+)["']""", call)]
    return [*imported, worker]


def extension_files(source: Path) -> list[Path]:
    """The files that go in the zip, in name order: all of plugin/ but hidden files and Python caches."""
    return sorted(
        (p for p in source.rglob("*") if p.is_file() and not any(part.startswith(".") or part == "__pycache__" for part in p.relative_to(source).parts)),
        key=lambda p: p.relative_to(source).as_posix(),
    )


def check(source: Path) -> dict[str, Any]:
    """The manifest, once every file it names exists and no page or script loads code from elsewhere."""
    manifest = read_manifest(source)
    missing = sorted(name for name in named_files(manifest) | set(background_scripts(source, manifest)) if not (source / name).is_file())
    if missing:
        raise BuildError(f"{source}: the manifest names files that are not there: {', '.join(missing)}")
    for path in extension_files(source):
        if path.suffix in (".html", ".js") and REMOTE.search(path.read_text(encoding="utf-8")):
            raise BuildError(f"{path}: loads code or content from another site; an extension must ship all its code")
    return manifest


def firefox_manifest(source: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    adapted = {key: value for key, value in manifest.items() if key != "background"}
    adapted["background"] = {"scripts": background_scripts(source, manifest)}
    adapted.update(FIREFOX)
    return adapted


def _write(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=TIMESTAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = UNIX
    info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
    archive.writestr(info, data, compresslevel=9)


def build(source: Path = PLUGIN_DIR, out_dir: Path = DIST_DIR, browser: str = "chromium") -> Path:
    """Writes the extension's zip for `browser` ("chromium" or "firefox") into `out_dir`; returns its path."""
    manifest = check(source)
    suffix = "" if browser == "chromium" else f"-{browser}"
    target = out_dir / f"recqual-extension-{manifest['version']}{suffix}.zip"
    out_dir.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w") as archive:
        for path in extension_files(source):
            name = path.relative_to(source).as_posix()
            data = path.read_bytes()
            if name == "manifest.json" and browser == "firefox":
                data = (json.dumps(firefox_manifest(source, manifest), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
            _write(archive, name, data)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m recqual.plugin_build", description="Build the recqual browser extension's zips from plugin/.")
    parser.add_argument("--source", type=Path, default=PLUGIN_DIR, help="the extension's folder (default: plugin/ of this checkout)")
    parser.add_argument("--out", type=Path, default=DIST_DIR, help="where to write the zips (default: dist/)")
    parser.add_argument("--browser", choices=("chromium", "firefox", "all"), default="all", help="which zip to build (default: both)")
    args = parser.parse_args(argv)
    try:
        for browser in ("chromium", "firefox") if args.browser == "all" else (args.browser,):
            target = build(args.source, args.out, browser)
            print(f"{target} ({target.stat().st_size:,} bytes)")
    except (BuildError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
