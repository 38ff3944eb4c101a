"""The xuanpin store server."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta
from functools import lru_cache
from typing import Any

import redis
from babel import Locale
from flask import Flask, g, has_request_context, request
from flask_babel import Babel
from flask_wtf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

# Every model, before anything maps one: relationships name classes of other domains, and
# loading them all with the package means no order of imports leaves one unresolved.
from store_api import metrics, tables  # noqa: F401
from store_api.catalogue import product_guard
from store_api.core import logs
from store_api.core.broker import InProcessBroker, RedisBroker
from store_api.core.db import Database, make_engine
from store_api.core.resources import static_dir
from store_api.core.scans import ScanRecorder
from store_api.core.settings import Settings, load_settings
from store_api.core.state import AppState, state
from store_api.core.worker import wake_after_commit

LANG_COOKIE = "lang"
csrf = CSRFProtect()


def _secret_key(settings: Settings) -> str:
    """Use the configured key, or one generated once and kept under var/."""
    if settings.server.secret_key:
        return settings.server.secret_key
    path = settings.var_dir / "secret_key"
    if not path.exists():
        settings.var_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


class RowId(IntegerConverter):
    """`<int:...>` in a route: a whole number from 0 to the largest row id."""

    def __init__(self, url_map, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(url_map, **kwargs)


@lru_cache(maxsize=16)
def _parsed(identifier: str) -> Locale:
    # Parsing a locale name searches Babel's whole locale list; do it once per name.
    return Locale.parse(identifier)


def _select_locale() -> Locale:
    """Pick the language: an explicit ?lang=, the remembered cookie, the browser, the default."""
    settings = state().settings
    if not has_request_context():
        return _parsed(settings.i18n.default_locale)
    offered = settings.i18n.locales
    for choice in (request.args.get("lang"), request.cookies.get(LANG_COOKIE)):
        if choice in offered:
            return _parsed(choice)
    best = request.accept_languages.best_match([o.replace("_", "-") for o in offered])
    return _parsed(best.replace("-", "_") if best else settings.i18n.default_locale)


def _remember_locale(response):
    choice = request.args.get("lang")
    if choice in state().settings.i18n.locales:
        response.set_cookie(LANG_COOKIE, choice, max_age=365 * 24 * 3600, samesite="Lax")
    return response


def _close_request_session(exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is None:
        return
    try:
        session.close()
    except (OperationalError, InterfaceError):
        # The database went away under the request, which has answered 503 already: the
        # connection is dropped rather than pooled, and the answer stays the 503.
        session.invalidate()


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the store server; test_config overrides settings by "section.key"."""
    settings = load_settings(overrides=test_config)
    logs.configure(settings.log.level, settings.log.format)
    if settings.production and settings.sms.provider == "log":
        logging.getLogger("xuanpin").warning(
            'sms.provider is "log" under a production database: one-time codes go to this log, '
            'not to buyers\' phones; set sms.provider = "aliyun" (XUANPIN_SMS_PROVIDER)')
    app = Flask(__name__, static_folder=str(static_dir()), static_url_path="/static")
    # Row ids are 32-bit integers in PostgreSQL; a larger number in a URL names nothing, so
    # it does not match (404) rather than reaching the database.
    app.url_map.converters["int"] = RowId
    if settings.server.proxy_hops:
        # Behind a proxy, the scheme and host the browser used come from its headers; the
        # same-origin check of buyer forms compares against them.
        hops = settings.server.proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.config.update(
        SECRET_KEY=_secret_key(settings),
        MAX_CONTENT_LENGTH=settings.server.max_request_bytes,
        BABEL_DEFAULT_LOCALE=settings.i18n.default_locale,
        BABEL_DEFAULT_TIMEZONE=settings.centre.timezone,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
        PERMANENT_SESSION_LIFETIME=timedelta(days=365),
        WTF_CSRF_TIME_LIMIT=None,
    )
    app.json.ensure_ascii = False
    client = redis.Redis.from_url(
        settings.redis.url, socket_connect_timeout=1, socket_timeout=1
    ) if settings.redis.url else None
    database = Database(make_engine(settings))
    for factory in database.session_factories:
        product_guard.install(factory, settings.catalogue.member_levels)
        event.listen(factory, "after_commit", wake_after_commit)
    broker = RedisBroker(client) if client is not None else InProcessBroker()
    # Imported here: the bootstrap imports every part, and each part imports this package.
    from store_api import bootstrap

    app.extensions["xuanpin"] = AppState(settings, database, client, broker,
                                          ScanRecorder(database), app, bootstrap.JOBS)

    logs.init_app(app)
    metrics.init_app(app)
    Babel(app, locale_selector=_select_locale)
    app.after_request(_remember_locale)
    app.teardown_appcontext(_close_request_session)
    bootstrap.register(app, csrf)
    return app
