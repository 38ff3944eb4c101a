"""How refused commands and HTTP errors look: JSON under /api, a translated page elsewhere."""

import logging

from flask import Flask, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError

from store_api.errors import DomainError

log = logging.getLogger(__name__)


def _domain_error(exc: DomainError):
    if request.path.startswith("/api/"):
        from store_api.api import error_response

        return error_response(exc)
    return render_template("error.html", message=str(exc)), exc.status


def _csrf_error(exc: CSRFError):
    return render_template("error.html", message=None, csrf=True), 400


def _database_away(exc: Exception):
    # The transaction was rolled back as the unit of work ended, so nothing is half written.
    log.warning("database unavailable: %s", exc.__class__.__name__)
    error = DomainError(_l("The database cannot be reached just now; nothing was changed. "
                           "Try again in a moment."), code="unavailable", status=503)
    response = make_response(_domain_error(error))
    response.headers["Retry-After"] = "5"
    return response


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(OperationalError, _database_away)
    app.register_error_handler(InterfaceError, _database_away)
