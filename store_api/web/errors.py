"""How refused commands and HTTP errors look: JSON under /api, a translated page elsewhere."""

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError

from store_api.errors import DomainError


def _domain_error(exc: DomainError):
    if request.path.startswith("/api/"):
        from store_api.api import error_response

        return error_response(exc)
    return render_template("error.html", message=str(exc)), exc.status


def _csrf_error(exc: CSRFError):
    return render_template("error.html", message=None, csrf=True), 400


def init_app(app: Flask) -> None:
    """Register the handlers."""
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(CSRFError, _csrf_error)
