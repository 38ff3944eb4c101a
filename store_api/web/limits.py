"""Rate limits per client address (Flask-Limiter): failed sign-ins, checkouts, slot lookups and
new zone screens. Counted in Redis when it is configured, so every process and host shares the
counts; if Redis is away the counts fall back to each process's memory rather than refusing."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from store_api.core.state import state

# endpoint: (setting holding the limit, methods it applies to, whether only failures count)
LIMITED = {
    "console.login": ("console.login_limit", ["POST"], True),
    "api.sign_in": ("console.login_limit", ["POST"], True),
    "cart.checkout": ("limits.checkout", ["POST"], False),
    "api.create_order": ("limits.checkout", ["POST"], False),
    "scan.product_page": ("limits.slot_lookup", None, False),
    "api.get_slot": ("limits.slot_lookup", None, False),
    "display.new_screen": ("limits.screen_registration", None, False),
}
# What a refusal says where the general "too many requests" would leave the reader guessing.
MESSAGES = {
    "display.new_screen": _l("Too many new screens were opened from this address. Wait a while "
                             "before opening this page again, and approve the screens already "
                             "waiting in the console."),
}


def _failed(response) -> bool:
    return response.status_code == 401


def init_app(app: Flask) -> None:
    """Wrap the limited views; call once every blueprint is registered."""
    settings = state(app).settings
    if not settings.limits.enabled:
        return
    redis_url = settings.redis.url
    limiter = Limiter(get_remote_address, app=app, storage_uri=redis_url or "memory://",
                      default_limits=[], key_prefix="xuanpin-limits", swallow_errors=True,
                      in_memory_fallback_enabled=bool(redis_url))
    for endpoint, (setting, methods, failures_only) in LIMITED.items():
        message = MESSAGES.get(endpoint)
        app.view_functions[endpoint] = limiter.limit(
            settings[setting], methods=methods,
            error_message=(lambda message=message: str(message)) if message else None,
            deduct_when=_failed if failures_only else None)(app.view_functions[endpoint])
