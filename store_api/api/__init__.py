"""The JSON API: operations declared with their schemas, errors as data, an OpenAPI document."""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from flask import Blueprint, Flask, g, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, ValidationError
from werkzeug.exceptions import HTTPException

from store_api.auth import staff_required
from store_api.errors import DomainError
from store_api.services.factory_access import factory_for_token
from store_api.state import state


@dataclass(frozen=True)
class Operation:
    rule: str
    method: str
    endpoint: str
    summary: str
    tag: str
    body: type[BaseModel] | None
    response: type[BaseModel]
    status: int
    auth: str | None
    headers: tuple[str, ...]
    query: type[BaseModel] | None
    errors: tuple[tuple[int, str], ...]


_MESSAGES = {
    "missing": _l("This field is required."),
    "int_type": _l("Must be a whole number."),
    "int_parsing": _l("Must be a whole number."),
    "int_from_float": _l("Must be a whole number."),
    "float_type": _l("Must be a number."),
    "float_parsing": _l("Must be a number."),
    "string_type": _l("Must be text."),
    "string_too_short": _l("This field is required."),
    "string_too_long": _l("Too long."),
    "too_long": _l("Too many items."),
    "bool_type": _l("Must be true or false."),
    "bool_parsing": _l("Must be true or false."),
    "list_type": _l("Must be a list."),
    "model_type": _l("Must be an object."),
    "model_attributes_type": _l("Must be an object."),
    "dict_type": _l("Must be an object."),
    "literal_error": _l("Not one of the allowed values."),
    "greater_than_equal": _l("Too small."),
    "less_than_equal": _l("Too large."),
}


def _field(location: tuple) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "body"


def _validation_error(error: ValidationError) -> DomainError:
    first = error.errors()[0]
    return DomainError(_MESSAGES.get(first["type"], _l("This value is not valid.")),
                       code="invalid_input", field=_field(first["loc"]))


def parse(model: type[BaseModel]) -> BaseModel:
    """Read the request's JSON body into a model, or raise a DomainError naming the field."""
    if not request.is_json:
        raise DomainError(_l("Send the body as application/json."), code="unsupported_media_type",
                          status=415)
    data = request.get_json(silent=True)
    if data is None:
        raise DomainError(_l("The body is not valid JSON."), code="invalid_json", status=400)
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise _validation_error(error) from None


class Operations:
    """The API operations one module declares; the bootstrap adds them to the API's blueprint.

    Used as a decorator, `@operation(rule, method, ...)`, it declares one operation: its route,
    the parsing of its body, and its entry in the OpenAPI document.
    """

    def __init__(self) -> None:
        self.declared: list[tuple[Operation, object]] = []

    def __call__(self, rule: str, method: str, *, summary: str, tag: str,
                 response: type[BaseModel], body: type[BaseModel] | None = None,
                 status: int = 200, auth: str | None = None, headers: tuple[str, ...] = (),
                 query: type[BaseModel] | None = None,
                 errors: tuple[tuple[int, str], ...] = ()):
        """Declare an operation.

        auth is None (anyone), "staff" (a signed-in staff session) or "factory" (a factory's
        bearer token; the view finds the factory in `g.factory`). `errors` documents answers
        beyond the ones every operation may give, as (status, description).
        """

        def decorator(view):
            @wraps(view)
            def handler(**kwargs):
                if method in ("POST", "PUT", "PATCH"):
                    payload = parse(body) if body else parse(_Empty)
                    if body:
                        kwargs["payload"] = payload
                if query:
                    try:
                        kwargs["query"] = query.model_validate(request.args.to_dict())
                    except ValidationError as error:
                        raise _validation_error(error) from None
                result = view(**kwargs)
                return jsonify(response.model_validate(result).model_dump(mode="json")), status

            guarded = {"staff": staff_required, "factory": factory_token_required,
                       None: lambda view: view}[auth](handler)
            self.declared.append((Operation(rule, method, f"api.{view.__name__}", summary, tag,
                                            body, response, status, auth, headers, query,
                                            errors), guarded))
            return view

        return decorator


def blueprint(sets: tuple[Operations, ...]) -> Blueprint:
    """Return the API's blueprint holding every operation of the given sets."""
    bp = Blueprint("api", __name__, url_prefix="/api/v1")
    for operations in sets:
        for op, view in operations.declared:
            bp.add_url_rule(op.rule, op.endpoint.removeprefix("api."), view, methods=[op.method])
    return bp


def factory_token_required(view):
    """Let through only a request with a factory's bearer token; the factory goes in g."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        with state().db.read_session() as session:
            factory = factory_for_token(session, token.strip()) if (
                scheme.lower() == "bearer") else None
            if factory is None:
                raise DomainError(_l("Send the factory's API token as a Bearer token."),
                                  code="unauthorised", status=401)
            g.factory = FactoryCaller(factory.id, factory.code)
        return view(*args, **kwargs)

    return wrapper


@dataclass(frozen=True)
class FactoryCaller:
    """The factory a request speaks for."""

    id: int
    code: str

    @property
    def actor(self) -> str:
        """How the ledger and histories name it."""
        return f"factory:{self.code}"


class _Empty(BaseModel):
    """Operations without a body still take `{}`, so a cross-site form cannot post to them."""


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
    # Keep what the error's own headers say (the Allow of a 405, the Retry-After of a 429).
    headers = [(name, value) for name, value in exc.get_headers()
               if name.lower() != "content-type"]
    if not request.path.startswith("/api/"):
        return render_template("error.html", message=str(message)), exc.code, headers
    return (jsonify(error={"code": code, "message": str(message), "field": None}), exc.code,
            headers)


def init_app(app: Flask, sets: tuple[Operations, ...]) -> Blueprint:
    """Register the operations of the given sets, the OpenAPI document and the error handlers;
    return the API's blueprint."""
    from store_api.api import openapi

    bp = blueprint(sets)
    app.extensions["xuanpin.operations"] = tuple(op for ops in sets for op, _ in ops.declared)
    app.register_blueprint(bp)
    app.register_blueprint(openapi.bp)
    app.register_error_handler(HTTPException, _http_error)
    return bp
