"""The service's settings: one set of names (RECQUAL_*) for the environment, a config file and `create_app(config)`."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

# The checkout's web/ folder; an installation without it can point RECQUAL_WEB_DIR elsewhere.
WEB_DIR = Path(__file__).resolve().parents[3] / "web"

DEFAULTS: dict[str, Any] = {
    "RECQUAL_API_KEY": None,  # when set, every /v1 route but health needs it
    "RECQUAL_CORS_ORIGINS": [],  # browser origins (scheme://host[:port]) allowed to call the API
    "RECQUAL_MAX_REQUEST_BYTES": 10_000_000,  # a whole request, both records and the form around them
    "RECQUAL_TIMEOUT": 10.0,  # seconds one check may take, waiting included, before it is stopped
    "RECQUAL_WORKERS": 2,  # analysis processes
    "RECQUAL_WEB_DIR": str(WEB_DIR),
}


class ConfigError(ValueError):
    """A setting with a value the service cannot use; the message names the setting."""


@dataclass(frozen=True)
class Settings:
    api_key: str | None
    cors_origins: frozenset[str]
    max_request_bytes: int
    timeout: float
    workers: int
    web_dir: Path

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Settings:
        """Settings from a Flask config (or any mapping of RECQUAL_* names), defaults filling the gaps."""
        merged = {**DEFAULTS, **{k: v for k, v in values.items() if k in DEFAULTS}}
        key = merged["RECQUAL_API_KEY"]
        origins = merged["RECQUAL_CORS_ORIGINS"]
        if isinstance(origins, str):
            origins = [o for o in (part.strip() for part in origins.split(",")) if o]
        if "*" in origins:
            raise ConfigError("RECQUAL_CORS_ORIGINS must list the origins allowed (e.g. https://cms.example.org); '*' is not accepted")
        return cls(
            api_key=str(key) if key else None,
            cors_origins=frozenset(str(o).rstrip("/") for o in origins),
            max_request_bytes=_number("RECQUAL_MAX_REQUEST_BYTES", merged["RECQUAL_MAX_REQUEST_BYTES"], int, minimum=1),
            timeout=_number("RECQUAL_TIMEOUT", merged["RECQUAL_TIMEOUT"], float, minimum=0.001),
            workers=_number("RECQUAL_WORKERS", merged["RECQUAL_WORKERS"], int, minimum=1),
            web_dir=Path(merged["RECQUAL_WEB_DIR"]),
        )


def _number(name: str, value: Any, kind: type, minimum: float) -> Any:
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{name} must be a number, not {value!r}") from None
    if number < minimum:
        raise ConfigError(f"{name} must be at least {minimum}, not {value!r}")
    return number


def from_environment(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The RECQUAL_* settings present in the environment."""
    environ = os.environ if environ is None else environ
    return {name: environ[name] for name in DEFAULTS if environ.get(name)}


def from_file(path: Path) -> dict[str, Any]:
    """The settings in a YAML file of RECQUAL_* names; unknown names are refused so that typos are not silently ignored."""
    try:
        values = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise ConfigError(f"{path}: not a readable settings file ({err.__class__.__name__})") from None
    if not isinstance(values, dict):
        raise ConfigError(f"{path}: expected a mapping of RECQUAL_* names to values")
    unknown = sorted(set(values) - set(DEFAULTS))
    if unknown:
        raise ConfigError(f"{path}: unknown settings {', '.join(map(str, unknown))}; known: {', '.join(DEFAULTS)}")
    return values
