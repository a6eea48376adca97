"""Every error the service returns is JSON, {"error": {"code", "message"}}, never an HTML page or a traceback."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

from flask import Response, jsonify, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger("recqual.service")

# Codes for the HTTP errors Flask and werkzeug raise themselves (routing, methods, sizes).
HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    500: "internal_error",
}


class ApiError(Exception):
    """An error the service answers with: its HTTP status, a stable code and a message that quotes none of the record."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Response:
    response = jsonify({"error": {"code": code, "message": message}})
    response.status_code = status
    response.headers.update(headers or {})
    return response


def too_large_message(limit: int, received: int | None) -> str:
    size = f"is {received:,} bytes" if received else "is too large"
    return f"The request {size}; the limit is {limit:,} bytes. Send a shorter record, or ask the administrator to raise RECQUAL_MAX_REQUEST_BYTES."


def handle_api_error(err: ApiError) -> Response:
    return error_response(err.status, err.code, err.message, err.headers)


def handle_http_exception(err: HTTPException) -> Response:
    status = err.code or 500
    # werkzeug's descriptions are generic and never contain request data, but they are HTML-flavoured.
    message = " ".join((err.description or err.name).split())
    if status == 413:  # also reached when a body without a declared length runs past the limit
        message = too_large_message(request.max_content_length or 0, request.content_length)
    headers = {k: v for k, v in err.get_headers() if k.lower() in ("allow", "www-authenticate", "retry-after")}
    return error_response(status, HTTP_CODES.get(status, err.name.lower().replace(" ", "_")), message, headers)


def describe(err: BaseException) -> str:
    """An exception's type and where it was raised, for the log: its message may quote the record, so it is left out."""
    frames = traceback.extract_tb(err.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno} in {frames[-1].name}" if frames else ""
    return f"{type(err).__name__}{where}"


def handle_unexpected(err: Exception) -> Response:
    log.error("unexpected %s while handling a request", describe(err))
    return error_response(500, "internal_error", "Something went wrong on the server; nothing you sent was kept.")
