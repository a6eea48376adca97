"""The /v1 routes, as a blueprint any Flask app can register: check, health, rules and the OpenAPI document.

A host app sets RECQUAL_* values in its config before registering; the blueprint then starts
its own worker pool on first use and applies the key, size limit, CORS and headers to its routes.
"""

from __future__ import annotations

import functools
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from flask import Blueprint, Response, current_app, g, jsonify, request
from flask.blueprints import BlueprintSetupState
from werkzeug.exceptions import HTTPException

from recqual import __version__
from recqual.ingest import InputError
from recqual.report import SCHEMA
from recqual.service import errors, security
from recqual.service.config import Settings
from recqual.service.inputs import read_check_request
from recqual.service.matches import rules
from recqual.service.worker import CheckFailed, CheckPool, CheckTimeout, Unavailable

OPENAPI = Path(__file__).with_name("openapi.yaml")
OPEN_ROUTES = {"recqual.health"}  # answered without the API key, so that a load balancer can probe

log = logging.getLogger("recqual.service")
blueprint = Blueprint("recqual", __name__, url_prefix="/v1")


@dataclass
class Service:
    """What one app's requests share: its settings and its worker pool."""

    settings: Settings
    pool: CheckPool


def service() -> Service:
    return current_app.extensions["recqual"]


@blueprint.record_once
def _set_up(state: BlueprintSetupState) -> None:
    settings = Settings.from_mapping(state.app.config)
    state.app.extensions["recqual"] = Service(settings, CheckPool(settings.workers, settings.timeout))


@blueprint.before_request
def _guard() -> None:
    g.recqual_started = time.perf_counter()
    settings = service().settings
    security.limit_size(request, settings)
    if request.method != "OPTIONS" and request.endpoint not in OPEN_ROUTES:
        security.require_api_key(request, settings)


@blueprint.after_request
def _finish(response: Response) -> Response:
    security.allow_origin(request, response, service().settings)
    security.secure_headers(response)
    elapsed = (time.perf_counter() - g.get("recqual_started", time.perf_counter())) * 1000
    # Method, path and status only: never the body, the query string or a file name.
    log.info("%s %s %d %.0f ms", request.method, request.path, response.status_code, elapsed)
    return response


blueprint.register_error_handler(errors.ApiError, errors.handle_api_error)
blueprint.register_error_handler(HTTPException, errors.handle_http_exception)
blueprint.register_error_handler(Exception, errors.handle_unexpected)


@blueprint.post("/check")
def check() -> Response:
    job = read_check_request(request, service().settings.max_request_bytes)
    try:
        report = service().pool.check(job)
    except InputError as err:
        raise errors.ApiError(422, "unreadable_record", str(err)) from None
    except CheckTimeout:
        seconds = f"{service().settings.timeout:g}"
        raise errors.ApiError(
            504, "timeout", f"The check did not finish within {seconds} seconds and was stopped. Try again, or check a shorter record."
        ) from None
    except Unavailable as err:
        log.error("check refused: %s", err)
        raise errors.ApiError(503, "unavailable", "The checker is not available just now; try again in a moment.", {"Retry-After": "5"}) from None
    except CheckFailed as err:
        log.error("analysis failed: %s", err)
        raise errors.ApiError(500, "internal_error", "The check failed on the server; nothing you sent was kept.") from None
    return jsonify(report)


@blueprint.get("/health")
def health() -> Response:
    return jsonify({"status": "ok", "version": __version__, "schema": SCHEMA, "workers": service().settings.workers})


@blueprint.get("/rules")
def list_rules() -> Response:
    return jsonify({"rules": rules()})


@blueprint.get("/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document())


@functools.cache
def openapi_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document for the service (openapi.yaml, with this version)."""
    with OPENAPI.open(encoding="utf-8") as fh:
        document = yaml.safe_load(fh)
    document["info"]["version"] = __version__
    return document
