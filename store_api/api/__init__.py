"""The JSON API: operations declared with their schemas, errors as data, an OpenAPI document."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from flask import Blueprint, Flask, jsonify, request
from flask_babel import lazy_gettext as _l
from pydantic import BaseModel, ValidationError

from store_api.core.errors import DomainError


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

            self.declared.append((Operation(rule, method, f"api.{view.__name__}", summary, tag,
                                            body, response, status, auth, headers, query,
                                            errors), handler))
            return view

        return decorator


Guard = Callable[[Callable], Callable]


def blueprint(sets: tuple[Operations, ...], guards: dict[str, Guard]) -> Blueprint:
    """Return the API's blueprint holding every operation of the given sets, each behind the
    guard its `auth` names."""
    bp = Blueprint("api", __name__, url_prefix="/api/v1")
    for operations in sets:
        for op, view in operations.declared:
            guarded = guards[op.auth](view) if op.auth else view
            bp.add_url_rule(op.rule, op.endpoint.removeprefix("api."), guarded,
                            methods=[op.method])
    return bp


class _Empty(BaseModel):
    """Operations without a body still take `{}`, so a cross-site form cannot post to them."""


def init_app(app: Flask, sets: tuple[Operations, ...], guards: dict[str, Guard]) -> Blueprint:
    """Register the operations of the given sets and the OpenAPI document; return the API's
    blueprint."""
    from store_api.api import openapi

    bp = blueprint(sets, guards)
    app.extensions["xuanpin.operations"] = tuple(op for ops in sets for op, _ in ops.declared)
    app.register_blueprint(bp)
    app.register_blueprint(openapi.bp)
    return bp
