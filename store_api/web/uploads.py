"""Views that take files may receive more than server.max_request_bytes, up to a setting of
their own; the limit is raised before anything reads the body (the CSRF check does)."""

from __future__ import annotations

from flask import Flask, current_app, request

from store_api.core.state import state


def allows_upload(setting: str):
    """Mark a view as taking bodies up to the size the named setting gives."""

    def mark(view):
        view.upload_limit = setting
        return view

    return mark


def _raise_limit() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    setting = getattr(view, "upload_limit", None)
    if setting:
        request.max_content_length = state().settings[setting]


def init_app(app: Flask) -> None:
    """Register the hook; call before CSRF protection is attached, so it runs first."""
    app.before_request(_raise_limit)
