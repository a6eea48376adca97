"""recqual over HTTP: the /v1 API as a Flask blueprint, a ready app with the IRO's page, and `recqual serve`."""

from recqual.service.api import blueprint
from recqual.service.app import create_app
from recqual.service.page import blueprint as page_blueprint

__all__ = ["blueprint", "create_app", "page_blueprint"]
