"""Every part of the store server, listed once: blueprints, console areas, API operations,
outbox topics with their handlers, periodic jobs, and who receives the orders' signals.
Nothing registers itself by being imported; the app factory calls `register`, and workers
take `JOBS` from the app's state."""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_wtf import CSRFProtect
from jinja2 import ChoiceLoader, PackageLoader

import kiosk
from store_api import api
from store_api.buyers import api as buyers_api
from store_api.buyers import codes, sms
from store_api.catalogue import console as catalogue_console
from store_api.catalogue import console_shelves
from store_api.core import events
from store_api.core.worker import WEBHOOK_STEPS, Jobs, Topic
from store_api.displays import console as displays_console
from store_api.displays import screens
from store_api.factories import access as factory_access
from store_api.fulfilment import (
    console_factories,
    console_forwards,
    factory_api,
    forwarding,
    portal,
)
from store_api.fulfilment import staff_api as forwards_api
from store_api.orders import (
    account_api,
    buyer_api,
    console_buyers,
    counter,
    counter_api,
    orders,
    signals,
)
from store_api.printing import console_labels, console_prints, labels
from store_api.printing import queue as print_queue
from store_api.reports import console as reports_console
from store_api.staff import api as staff_api
from store_api.staff import auth, console_audit, console_work
from store_api.staff import console as staff_console
from store_api.stock import console as stock_console
from store_api.web import (
    errors,
    formatting,
    health,
    limits,
    media,
    security_headers,
    session_cookies,
    uploads,
)

TOPICS = (
    Topic(events.TOPIC, events.publish),
    Topic(print_queue.TOPIC, print_queue.print_job),
    Topic(print_queue.RENDER_TOPIC, labels.render_job),
    Topic(forwarding.TOPIC, forwarding.deliver, WEBHOOK_STEPS, page="console.forwards"),
    Topic(forwarding.NOTICE, forwarding.notify, WEBHOOK_STEPS),
    Topic(codes.TOPIC, sms.send_code, sms.SCHEDULE),
)
# The topics code writes to the outbox. Start-up refuses one without a handler, and a test
# holds this set equal to the topics the code's `enqueue` calls name.
WRITTEN = frozenset({events.TOPIC, print_queue.TOPIC, print_queue.RENDER_TOPIC,
                     forwarding.TOPIC, forwarding.NOTICE, codes.TOPIC})
PERIODIC = (orders.expire_overdue, screens.forget_expired)
JOBS = Jobs.of(TOPICS, PERIODIC)

# Fulfilment's reactions to orders, which do not know it (it sits above them).
RECEIVERS = (
    (signals.factory_group_payable, forwarding.forward_payable_group),
    (signals.group_cancelled, forwarding.stop_cancelled_group),
)

# The console's areas, each adding its pages under /console.
CONSOLE = (staff_console.routes, console_audit.routes, console_work.routes, counter.routes,
           console_buyers.routes,
           catalogue_console.routes, console_shelves.routes, stock_console.routes,
           console_labels.routes, console_prints.routes, displays_console.routes,
           console_forwards.routes, console_factories.routes, reports_console.routes)
API = (buyer_api.operation, account_api.operation, staff_api.operation, counter_api.operation,
       buyers_api.operation, forwards_api.operation, factory_api.operation)
# The domains whose pages keep their templates in the domain's own `templates/` folder; the
# shared frame (layout, error page, flashes) stays in store_api/templates.
TEMPLATES = ("store_api.staff", "store_api.catalogue", "store_api.stock", "store_api.printing",
             "store_api.orders", "store_api.displays", "store_api.fulfilment",
             "store_api.reports")
# What an operation's `auth` names.
API_GUARDS = {"staff": auth.staff_required, "manager": auth.manager_required,
              "factory": factory_access.factory_token_required}


def console_blueprint() -> Blueprint:
    """Return the console's blueprint with every area's pages."""
    bp = Blueprint("console", staff_console.__name__, url_prefix="/console")
    for routes in CONSOLE:
        routes.add_to(bp)
    return bp


def register(app: Flask, csrf: CSRFProtect) -> None:
    """Attach every blueprint, handler, receiver and hook to the app; check the job table."""
    JOBS.check(WRITTEN)
    for signal, receiver in RECEIVERS:
        signal.connect(receiver, weak=False)
    signals.check_received()
    session_cookies.init_app(app)
    uploads.init_app(app)  # before CSRF protection, which reads the body
    csrf.init_app(app)
    # The API takes only application/json, which no cross-site form can send.
    csrf.exempt(api.init_app(app, API, API_GUARDS))
    auth.init_app(app)
    app.jinja_loader = ChoiceLoader([app.jinja_loader,
                                     *(PackageLoader(package) for package in TEMPLATES)])
    formatting.init_app(app)
    errors.init_app(app)
    for blueprint in (health.bp, media.bp, console_blueprint(), portal.bp):
        app.register_blueprint(blueprint)
    kiosk.init_app(app, csrf)  # the one place in store_api that knows the buyer's pages
    limits.init_app(app)  # after every blueprint: it wraps their views
    security_headers.init_app(app)
