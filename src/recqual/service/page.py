"""The IRO's page (web/): index.html at `/`, its script and style sheet under `/static/`."""

from __future__ import annotations

from flask import Blueprint, Response, send_from_directory
from werkzeug.exceptions import HTTPException

from recqual.service import errors
from recqual.service.api import service
from recqual.service.errors import ApiError

blueprint = Blueprint("recqual_page", __name__)
blueprint.register_error_handler(ApiError, errors.handle_api_error)
blueprint.register_error_handler(HTTPException, errors.handle_http_exception)


def _send(name: str) -> Response:
    web_dir = service().settings.web_dir
    if not (web_dir / "index.html").is_file():
        raise ApiError(404, "not_found", "The page is not installed on this server (set RECQUAL_WEB_DIR to the web/ folder).")
    # send_from_directory refuses names that climb out of the folder (404).
    return send_from_directory(web_dir, name, max_age=0)


@blueprint.get("/")
def index() -> Response:
    return _send("index.html")


@blueprint.get("/static/<path:name>")
def asset(name: str) -> Response:
    return _send(name)
