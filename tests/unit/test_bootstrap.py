"""The bootstrap is the one list of what the server is made of: every topic the code writes has
a handler there, and a topic left without one stops the server from starting."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from store_api import bootstrap, create_app
from store_api.fulfilment import forwarding
from store_api.orders import signals

ROOT = Path(__file__).resolve().parents[2]


def _values(argument: ast.expr, module) -> set[str]:
    """What a topic argument can be: a string, a module's constant, either of a condition's."""
    if isinstance(argument, ast.IfExp):
        return _values(argument.body, module) | _values(argument.orelse, module)
    if isinstance(argument, ast.Constant):
        return {argument.value}
    if isinstance(argument, ast.Name):
        return {getattr(module, argument.id)}
    return {getattr(getattr(module, argument.value.id), argument.attr)}  # module.CONSTANT


def _topics_written() -> set[str]:
    """Every topic named by an `enqueue(session, TOPIC, ...)` call in the server's code."""
    topics = set()
    for path in [*ROOT.glob("store_api/**/*.py"), *ROOT.glob("kiosk/**/*.py")]:
        if "enqueue(" not in path.read_text():
            continue
        module = importlib.import_module(
            ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"))
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "enqueue"):
                continue
            topics.update(_values(node.args[1], module))
    return topics


def test_the_topics_listed_are_the_topics_the_code_writes():
    written = _topics_written()
    assert written == bootstrap.WRITTEN
    assert len(written) >= 5 and "forward.deliver" in written


def test_every_topic_written_has_a_handler_and_every_handler_a_topic():
    assert set(bootstrap.JOBS.handlers) == bootstrap.WRITTEN


def test_a_topic_without_its_handler_stops_start_up_naming_it(tmp_path, monkeypatch):
    monkeypatch.delitem(bootstrap.JOBS.handlers, forwarding.TOPIC)
    with pytest.raises(RuntimeError, match="forward.deliver"):
        create_app({"paths.var_dir": str(tmp_path), "database.url": "sqlite://"})


def test_every_console_area_is_on_the_console(tmp_path):
    app = create_app({"paths.var_dir": str(tmp_path), "database.url": "sqlite://"})
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    for routes in bootstrap.CONSOLE:
        for _, view, options in routes.rules:
            assert f"console.{options.get('endpoint', view.__name__)}" in endpoints
    assert {"console.counter", "console.products", "console.labels_page"} <= endpoints


def test_fulfilment_receives_every_orders_signal(tmp_path):
    create_app({"paths.var_dir": str(tmp_path), "database.url": "sqlite://"})
    for signal, receiver in bootstrap.RECEIVERS:
        assert receiver in signal.receivers.values()
    assert {signal for signal, _ in bootstrap.RECEIVERS} == set(signals.SIGNALS)


def test_a_signal_nothing_receives_stops_start_up_naming_it(monkeypatch):
    monkeypatch.setattr(signals.group_cancelled, "receivers", {})
    with pytest.raises(RuntimeError, match="group-cancelled"):
        signals.check_received()
