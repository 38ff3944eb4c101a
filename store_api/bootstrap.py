"""Every part of the store server, listed once: blueprints, console areas, API operations,
outbox topics with their handlers, and periodic jobs. Nothing registers itself by being
imported; the app factory calls `register`, and workers take `JOBS` from the app's state."""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_wtf import CSRFProtect

import kiosk
from store_api import api, auth
from store_api import printing as print_queue
from store_api.api import buyer_api, factory_api, staff_api
from store_api.services import events, forwarding, labels, orders
from store_api.web import (
    console,
    console_audit,
    console_catalogue,
    console_displays,
    console_factories,
    console_labels,
    console_reports,
    console_shelves,
    console_stock,
    errors,
    formatting,
    health,
    limits,
    media,
    portal,
    security_headers,
    uploads,
)
from store_api.worker import WEBHOOK_STEPS, Jobs, Topic

TOPICS = (
    Topic(events.TOPIC, events.publish),
    Topic(print_queue.TOPIC, print_queue.print_job),
    Topic(labels.RENDER_TOPIC, labels.render_job),
    Topic(forwarding.TOPIC, forwarding.deliver, WEBHOOK_STEPS),
    Topic(forwarding.NOTICE, forwarding.notify, WEBHOOK_STEPS),
)
# The topics code writes to the outbox. Start-up refuses one without a handler, and a test
# holds this set equal to the topics the code's `enqueue` calls name.
WRITTEN = frozenset({events.TOPIC, print_queue.TOPIC, labels.RENDER_TOPIC, forwarding.TOPIC,
                     forwarding.NOTICE})
PERIODIC = (orders.expire_overdue,)
JOBS = Jobs.of(TOPICS, PERIODIC)

# The console's areas, each adding its pages under /console.
CONSOLE = (console.routes, console_audit.routes, console_catalogue.routes,
           console_displays.routes, console_factories.routes, console_labels.routes,
           console_reports.routes, console_shelves.routes, console_stock.routes)
API = (buyer_api.operation, staff_api.operation, factory_api.operation)


def console_blueprint() -> Blueprint:
    """Return the console's blueprint with every area's pages."""
    bp = Blueprint("console", console.__name__, url_prefix="/console")
    for routes in CONSOLE:
        routes.add_to(bp)
    return bp


def register(app: Flask, csrf: CSRFProtect) -> None:
    """Attach every blueprint, handler and hook to the app, and check the job table."""
    JOBS.check(WRITTEN)
    uploads.init_app(app)  # before CSRF protection, which reads the body
    csrf.init_app(app)
    # The API takes only application/json, which no cross-site form can send.
    csrf.exempt(api.init_app(app, API))
    auth.init_app(app)
    formatting.init_app(app)
    errors.init_app(app)
    for blueprint in (health.bp, media.bp, console_blueprint(), portal.bp):
        app.register_blueprint(blueprint)
    kiosk.init_app(app, csrf)  # the one place in store_api that knows the buyer's pages
    limits.init_app(app)  # after every blueprint: it wraps their views
    security_headers.init_app(app)
