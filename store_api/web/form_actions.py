"""How forms are read and how console and portal forms end: numbers passed on for the service
to judge; run the action, show why it was refused, go back."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for

from store_api.core.errors import DomainError


def form_number(value):
    """A form field as an int when it is a whole number; anything else is passed on as it is,
    for the service to refuse in its own words."""
    text = (value or "").strip()
    try:
        return int(text) if len(text) <= 20 else text
    except ValueError:
        return text


def problems_by_field(problems, column=lambda field: field) -> dict[str, list[str]]:
    """Group rule problems under the form field each belongs to, for the form to mark."""
    found: dict[str, list[str]] = {}
    for problem in problems:
        found.setdefault(column(problem.field), []).append(problem.detail())
    return found


def act(action, endpoint: str, *, missing_is_404: bool = False, done=None, **values):
    """Run a form's action; on a refusal flash its message (or answer 404 for something not
    found, where another party's ids must look like nothing), on success what `done` makes of
    the action's result, if given; redirect to the endpoint (303)."""
    try:
        result = action()
        if done is not None:
            flash(str(done(result)), "info")
    except DomainError as error:
        if missing_is_404 and error.status == 404:
            abort(404)
        flash(str(error), "error")
    return redirect(url_for(endpoint, **values), 303)
