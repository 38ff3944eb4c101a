"""How refused commands and HTTP errors look: JSON under /api, a translated page elsewhere."""

import logging

from flask import Flask, jsonify, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from store_api.core.errors import DomainError

log = logging.getLogger(__name__)


def _wants_json() -> bool:
    """The one rule for the shape of an error: JSON under /api, a page elsewhere."""
    return request.path.startswith("/api/")


def error_response(exc: DomainError):
    """Turn a domain error into {"error": {"code", "message", "field"}} and its status."""
    body = {"code": exc.code, "message": str(exc), "field": exc.field}
    return jsonify(error=body), exc.status


_HTTP_ERRORS = {
    400: ("bad_request", _l("The request is not valid.")),
    401: ("unauthorised", _l("Sign in first.")),
    412: ("precondition_failed", _l("The resource changed since you read it.")),
    403: ("forbidden", _l("Staff only.")),
    404: ("not_found", _l("There is nothing here.")),
    405: ("method_not_allowed", _l("This method is not allowed here.")),
    413: ("too_large", _l("The request is too large.")),
    429: ("too_many_requests", _l("Too many requests; wait a moment and try again.")),
    500: ("internal_error", _l("Something went wrong on our side; nothing was changed.")),
}


def _http_error(exc: HTTPException):
    code, message = _HTTP_ERRORS.get(exc.code, ("error", _l("The request is not valid.")))
    if isinstance(exc, RateLimitExceeded) and exc.limit.error_message:
        message = exc.description  # the limit's own message, translated when it was refused
    # Keep what the error's own headers say (the Allow of a 405, the Retry-After of a 429).
    headers = [(name, value) for name, value in exc.get_headers()
               if name.lower() != "content-type"]
    if not _wants_json():
        return render_template("error.html", message=str(message)), exc.code, headers
    return (jsonify(error={"code": code, "message": str(message), "field": None}), exc.code,
            headers)


def _domain_error(exc: DomainError):
    if _wants_json():
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
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(OperationalError, _database_away)
    app.register_error_handler(InterfaceError, _database_away)
