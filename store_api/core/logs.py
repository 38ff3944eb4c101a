"""Logs: one line per record, as text or JSON, each carrying the id of the request it came
from. A request id arriving in X-Request-Id (from nginx, say) is kept; otherwise one is made,
and every answer carries it back."""

from __future__ import annotations

import json
import logging
import re
import sys
import uuid

from flask import Flask, g, has_request_context, request

HEADER = "X-Request-Id"
_GOOD_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def request_id() -> str:
    """The current request's id, or "-" outside a request."""
    return g.get("request_id", "-") if has_request_context() else "-"


class _RequestId(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id()
        return True


class JsonFormatter(logging.Formatter):
    """A record as one JSON object: time, level, logger, message, request id, error."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
                 "level": record.levelname, "logger": record.name,
                 "message": record.getMessage(),
                 "request_id": getattr(record, "request_id", "-")}
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


class _Stderr(logging.StreamHandler):
    """Writes to whatever sys.stderr is when a record comes, not when the app was made (a
    test run swaps and closes its captured streams; a daemon thread may log after)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def configure(level: str, kind: str) -> None:
    """Send every record to stderr in the chosen form, with its request id."""
    handler = _Stderr()
    handler.addFilter(_RequestId())
    handler.setFormatter(JsonFormatter() if kind == "json" else logging.Formatter(
        "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())


def _take_id() -> None:
    incoming = request.headers.get(HEADER, "")
    g.request_id = incoming if _GOOD_ID.match(incoming) else uuid.uuid4().hex


def _give_id(response):
    response.headers[HEADER] = request_id()
    return response


def init_app(app: Flask) -> None:
    """Give every request an id, and every answer its id."""
    app.before_request(_take_id)
    app.after_request(_give_id)
