"""The ready application: `create_app(config)` builds it from defaults, then RECQUAL_* environment variables, then `config`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.exceptions import HTTPException

from recqual.service import api, errors, page, security
from recqual.service.config import DEFAULTS, Settings, from_environment


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """A Flask app serving the /v1 API and the page at `/`; `config` holds RECQUAL_* settings (see config.DEFAULTS)."""
    app = Flask(__name__, static_folder=None)
    app.config.update(DEFAULTS)
    app.config.update(from_environment())
    app.config.update(config or {})
    settings = Settings.from_mapping(app.config)  # refuse a bad setting now, not on the first request
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.register_blueprint(api.blueprint)
    app.register_blueprint(page.blueprint)
    # Outside the blueprints too (unknown paths, wrong methods): JSON errors, the same headers.
    app.after_request(security.secure_headers)
    app.register_error_handler(errors.ApiError, errors.handle_api_error)
    app.register_error_handler(HTTPException, errors.handle_http_exception)
    app.register_error_handler(Exception, errors.handle_unexpected)
    return app
