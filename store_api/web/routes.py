"""Views of one area, recorded by their decorators and added to a blueprint by the bootstrap.

A module of console pages declares its views on its own `Routes`; nothing is added to a
blueprint until the bootstrap, which lists every area, calls `add_to`.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint


class Routes:
    """The rules and views an area declares, in the order declared."""

    def __init__(self) -> None:
        self.rules: list[tuple[str, Callable, dict]] = []

    def route(self, rule: str, **options) -> Callable[[Callable], Callable]:
        """Record a view under a rule, with Flask's route options."""

        def record(view: Callable) -> Callable:
            self.rules.append((rule, view, options))
            return view

        return record

    def get(self, rule: str, **options) -> Callable[[Callable], Callable]:
        """Record a GET view."""
        return self.route(rule, methods=["GET"], **options)

    def post(self, rule: str, **options) -> Callable[[Callable], Callable]:
        """Record a POST view."""
        return self.route(rule, methods=["POST"], **options)

    def add_to(self, blueprint: Blueprint) -> None:
        """Add every recorded view to a blueprint, under the view's own name."""
        for rule, view, options in self.rules:
            blueprint.add_url_rule(rule, view_func=view, **dict(options))
