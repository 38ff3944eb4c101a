"""Prometheus metrics at /metrics: requests and latency by route, open event streams, and,
read from the database when scraped, orders by status, reserved units, the outbox's depth and
age, and the print queue. Under gunicorn each worker writes its numbers to files in
PROMETHEUS_MULTIPROC_DIR (set by `xuanpin serve`) and a scrape adds them up.

prometheus_client picks where numbers live when it is first imported, so it is imported on
first use, in the worker, after that variable is set; never when this module loads."""

from __future__ import annotations

import ipaddress
import os
import threading
import time

from flask import Flask, Response, abort, g, request
from sqlalchemy import func, select

from store_api.core.state import state

_made: tuple | None = None
_making = threading.Lock()


def _instruments() -> tuple:
    """The request counter, latency histogram and stream gauge, made once per process (the
    first requests of a worker arrive together, on several threads)."""
    global _made
    if _made is None:
        with _making:
            if _made is None:
                from prometheus_client import Counter, Gauge, Histogram

                _made = (
                    Counter("xuanpin_http_requests", "Requests answered",
                            ["route", "method", "status"]),
                    Histogram("xuanpin_http_request_seconds", "Time to answer a request",
                              ["route"], buckets=(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5)),
                    Gauge("xuanpin_sse_clients", "Event streams open",
                          multiprocess_mode="livesum"),
                )
    return _made


def stream_opened() -> None:
    """Count an event stream as open."""
    _instruments()[2].inc()


def stream_closed() -> None:
    """Count an event stream as closed."""
    _instruments()[2].dec()


class _FromDatabase:
    """Numbers that live in the database, read at scrape time so every process agrees."""

    def __init__(self, app_state):
        self.app_state = app_state

    def collect(self):
        from prometheus_client.core import GaugeMetricFamily

        from store_api.core.models import OutboxMessage, utcnow
        from store_api.orders.models import Order
        from store_api.printing.models import PrintJob
        from store_api.stock.models import StockLevel

        orders = GaugeMetricFamily("xuanpin_orders", "Orders by status", labels=["status"])
        with self.app_state.db.read_session() as session:
            for status, count in session.execute(
                    select(Order.status, func.count()).group_by(Order.status)):
                orders.add_metric([status], count)
            reserved = session.scalar(select(func.coalesce(func.sum(StockLevel.reserved), 0)))
            depth, oldest = session.execute(
                select(func.count(), func.min(OutboxMessage.created_at))
                .where(OutboxMessage.status == "pending")).one()
            printing = session.scalar(select(func.count()).select_from(PrintJob).join(
                OutboxMessage, OutboxMessage.message_id == PrintJob.message_id).where(
                OutboxMessage.status == "pending"))
        yield orders
        yield GaugeMetricFamily("xuanpin_reserved_units", "Units held for orders",
                                value=reserved)
        yield GaugeMetricFamily("xuanpin_outbox_depth", "Outbox messages waiting", value=depth)
        age = (utcnow() - oldest).total_seconds() if oldest is not None else 0
        yield GaugeMetricFamily("xuanpin_outbox_oldest_seconds",
                                "Age of the oldest waiting outbox message", value=age)
        yield GaugeMetricFamily("xuanpin_print_queue_depth", "Print jobs not yet printed",
                                value=printing)


def _registry(app_state):
    from prometheus_client import CollectorRegistry

    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        for collector in _instruments():
            registry.register(collector)
    registry.register(_FromDatabase(app_state))
    return registry


def _start() -> None:
    g.metrics_started = time.perf_counter()


def _count(response):
    started = g.pop("metrics_started", None)
    if started is not None:
        route = request.url_rule.rule if request.url_rule is not None else "unmatched"
        requests, latency, _ = _instruments()
        requests.labels(route, request.method, str(response.status_code)).inc()
        latency.labels(route).observe(time.perf_counter() - started)
    return response


def _allowed() -> bool:
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(network)
               for network in state().settings.metrics.allowed_networks)


def init_app(app: Flask) -> None:
    """Count every request and serve /metrics to the allowed networks."""
    app.before_request(_start)
    app.after_request(_count)

    @app.get("/metrics")
    def metrics():
        """Prometheus text format; 404 to anyone outside metrics.allowed_networks."""
        from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

        if not _allowed():
            abort(404)
        # content_type, not mimetype: the constant names its charset, and a mimetype gets a second.
        return Response(generate_latest(_registry(state())), content_type=CONTENT_TYPE_LATEST)
