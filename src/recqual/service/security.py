"""What protects the service: the API key, the CORS allow-list, the request size limit and the response headers."""

from __future__ import annotations

import hmac

from flask import Request, Response

from recqual.service.config import Settings
from recqual.service.errors import ApiError, too_large_message

# Sent on every response. The page loads only its own files, is never framed, and nothing
# (record text least of all) may be cached by the browser or a proxy.
HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}

CORS_METHODS = "GET, POST, OPTIONS"
CORS_HEADERS = "Content-Type, Authorization, X-API-Key"


def secure_headers(response: Response) -> Response:
    response.headers.update(HEADERS)
    return response


def limit_size(request: Request, settings: Settings) -> None:
    """Refuse an oversized request before reading it; a body without a length is cut off at the same limit while read."""
    request.max_content_length = settings.max_request_bytes
    if request.content_length is not None and request.content_length > settings.max_request_bytes:
        raise ApiError(413, "too_large", too_large_message(settings.max_request_bytes, request.content_length))


def require_api_key(request: Request, settings: Settings) -> None:
    """401 unless the request carries the configured key (X-API-Key, or Authorization: Bearer); nothing to do when none is set."""
    if settings.api_key is None:
        return
    given = request.headers.get("X-API-Key", "")
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if not given and scheme.lower() == "bearer":
        given = token.strip()
    # Constant-time comparison, so response timing does not reveal how much of a guess was right.
    if not hmac.compare_digest(given.encode("utf-8"), settings.api_key.encode("utf-8")):
        message = "This server needs an API key: send it in the X-API-Key header or as 'Authorization: Bearer <key>'."
        if given:
            message = "The API key is not right for this server."
        raise ApiError(401, "unauthorized", message, {"WWW-Authenticate": 'Bearer realm="recqual"'})


def allow_origin(request: Request, response: Response, settings: Settings) -> Response:
    """CORS headers for an origin on the allow-list, and none for any other (the browser then refuses the response)."""
    response.vary.add("Origin")
    origin = request.headers.get("Origin")
    if origin and origin in settings.cors_origins:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Methods"] = CORS_METHODS
        response.headers["Access-Control-Allow-Headers"] = CORS_HEADERS
        response.headers["Access-Control-Max-Age"] = "600"
    return response
