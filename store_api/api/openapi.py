"""The OpenAPI 3 document, built from the declared operations and their pydantic schemas."""

from __future__ import annotations

import re
from functools import cache

from flask import Blueprint, current_app, jsonify
from pydantic.json_schema import models_json_schema

from store_api.api import Operation, schemas
from store_api.web.limits import LIMITED

bp = Blueprint("openapi", __name__)
_REF = "#/components/schemas/{model}"
_HEADER_SCHEMAS = {
    "Idempotency-Key": {"type": "string", "minLength": 8, "maxLength": 64},
    "If-Match": {"type": "string", "maxLength": 40,
                 "description": "The version (entity tag) of the stock row you read."},
}
_ERROR_STATUSES = {"400": "Bad request", "404": "Not found", "409": "Conflict",
                   "413": "Body too large", "415": "Not JSON",
                   "422": "A rule refused the input",
                   "503": "The database cannot be reached; nothing was changed"}


def _path(rule: str) -> tuple[str, list[dict]]:
    parameters = []

    def convert(match: re.Match) -> str:
        converter, name = match.group(1), match.group(2)
        kind = "integer" if converter == "int" else "string"
        parameters.append({"name": name, "in": "path", "required": True,
                           "schema": {"type": kind}})
        return "{" + name + "}"

    return re.sub(r"<(?:(\w+):)?(\w+)>", convert, "/api/v1" + rule), parameters


@cache
def document(operations: tuple[Operation, ...]) -> dict:
    """Return the OpenAPI document of the given operations."""
    models = {schemas.ErrorOut}
    for op in operations:
        models.add(op.response)
        if op.body:
            models.add(op.body)
    keys, definitions = models_json_schema(
        [(model, "validation") for model in sorted(models, key=lambda m: m.__name__)],
        ref_template=_REF,
    )
    refs = {model: keys[(model, "validation")]["$ref"] for model in models}
    error = {"content": {"application/json": {"schema": {"$ref": refs[schemas.ErrorOut]}}}}
    paths: dict[str, dict] = {}
    for op in operations:
        path, parameters = _path(op.rule)
        parameters += [{"name": name, "in": "header", "required": True,
                        "schema": _HEADER_SCHEMAS[name]} for name in op.headers]
        if op.query:
            fields = op.query.model_json_schema()["properties"]
            parameters += [{"name": name, "in": "query", "required": False, "schema": schema}
                           for name, schema in fields.items()]
        entry = {
            "operationId": op.endpoint.split(".")[-1],
            "summary": op.summary,
            "tags": [op.tag],
            "parameters": parameters,
            "responses": {
                str(op.status): {"description": "OK", "content": {"application/json": {
                    "schema": {"$ref": refs[op.response]}}}},
                **{status: {"description": text, **error}
                   for status, text in _ERROR_STATUSES.items()},
            },
        }
        if op.method in ("POST", "PUT", "PATCH"):
            body_ref = refs[op.body] if op.body else None
            entry["requestBody"] = {"required": True, "content": {"application/json": {
                "schema": {"$ref": body_ref} if body_ref else {"type": "object"}}}}
        if op.auth in ("staff", "manager"):
            entry["security"] = [{"staffSession": []}]
            entry["responses"].update({"401": {"description": "Not signed in", **error},
                                       "403": {"description": f"Not {op.auth}", **error}})
        elif op.auth == "factory":
            entry["security"] = [{"factoryToken": []}]
            entry["responses"]["401"] = {"description": "No valid factory token", **error}
        if op.endpoint in LIMITED:
            entry["responses"]["429"] = {"description": "Too many requests from this address",
                                         **error}
        for status, text in op.errors:
            entry["responses"][str(status)] = {"description": text, **error}
        if "If-Match" in op.headers:
            entry["responses"].update({
                "412": {"description": "Changed since it was read", **error},
                "428": {"description": "If-Match missing", **error}})
        paths.setdefault(path, {})[op.method.lower()] = entry
    return {
        "openapi": "3.1.0",
        "info": {"title": "xuanpin store server", "version": "1"},
        "paths": paths,
        "components": {
            "schemas": definitions.get("$defs", {}),
            "securitySchemes": {
                "staffSession": {"type": "apiKey", "in": "cookie", "name": "session"},
                "factoryToken": {"type": "http", "scheme": "bearer",
                                 "description": "xpf.<factory code>.<secret>, shown once by "
                                                "`xuanpin factory-token CODE`."},
            },
        },
    }


@bp.get("/api/openapi.json")
def openapi_json():
    """Serve the OpenAPI document."""
    return jsonify(document(current_app.extensions["xuanpin.operations"]))
