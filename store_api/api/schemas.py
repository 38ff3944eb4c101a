"""The API's shared shapes: the request base, errors and a plain acknowledgement; each domain
keeps the shapes of its own operations in its `schemas` module."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Request(BaseModel):
    # Unknown fields, such as a price the phone sends, are ignored: prices come from the server.
    model_config = ConfigDict(extra="ignore")


class ErrorBody(BaseModel):
    code: str
    message: str
    field: str | None = None


class ErrorOut(BaseModel):
    error: ErrorBody


class OkOut(BaseModel):
    ok: bool = True
