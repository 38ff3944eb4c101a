"""The rules each setting's value must keep, checked once at start; a broken rule stops start-up
with a message naming the key."""

from __future__ import annotations

import ipaddress
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_LOG_LEVELS = {"DEBUG", "INFO", "WARNING", "ERROR"}


class SettingsError(ValueError):
    """A setting is unknown or has a bad value; the message names the key."""


def _positive(key: str, value: Any) -> None:
    if value <= 0:
        raise SettingsError(f"setting {key}: must be greater than 0, got {value!r}")


def _port(key: str, value: int) -> None:
    if not 1 <= value <= 65535:
        raise SettingsError(f"setting {key}: must be a port number 1-65535, got {value!r}")


def _database_url(key: str, value: str) -> None:
    if value and not value.startswith(("sqlite", "postgresql")):
        raise SettingsError(f"setting {key}: must be a sqlite:// or postgresql+psycopg:// URL")


def _redis_url(key: str, value: str) -> None:
    if value and not value.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError(f"setting {key}: must be a redis:// URL, got {value!r}")


def _http_url(key: str, value: str) -> None:
    if not value.startswith(("http://", "https://")):
        raise SettingsError(f"setting {key}: must start with http:// or https://, got {value!r}")


def _log_level(key: str, value: str) -> None:
    if value.upper() not in _LOG_LEVELS:
        raise SettingsError(f"setting {key}: must be one of {sorted(_LOG_LEVELS)}, got {value!r}")


def _latitude(key: str, value: float) -> None:
    if not -90 <= value <= 90:
        raise SettingsError(f"setting {key}: must be a latitude -90..90, got {value!r}")


def _longitude(key: str, value: float) -> None:
    if not -180 <= value <= 180:
        raise SettingsError(f"setting {key}: must be a longitude -180..180, got {value!r}")


def _allocation(key: str, value: str) -> None:
    if value not in ("centre", "factory"):
        raise SettingsError(f"setting {key}: must be \"centre\" or \"factory\", got {value!r}")


def _not_negative(key: str, value: float) -> None:
    if value < 0:
        raise SettingsError(f"setting {key}: must not be negative, got {value!r}")


# Keys copied from examples and guides; a key an attacker can guess signs any session.
_EXAMPLE_KEYS = {"change-me", "changeme", "secret", "secret-key", "dev", "development",
                 "xuanpin", "please-change", "your-secret-key"}


def _secret(key: str, value: str) -> None:
    if not value:
        return  # a random key is made and kept in var/secret_key
    if value.strip().lower() in _EXAMPLE_KEYS or len(value.encode()) < 32:
        raise SettingsError(
            f"setting {key}: an example or short key (under 32 bytes) signs sessions anyone can "
            "forge; generate one with python -c \"import secrets; print(secrets.token_hex(32))\" "
            "or leave it empty to keep a random key in var/secret_key")


def _sms_provider(key: str, value: str) -> None:
    if value not in ("log", "aliyun"):
        raise SettingsError(f"setting {key}: must be \"log\" or \"aliyun\", got {value!r}")


def _printer(key: str, value: str) -> None:
    if value and not value.startswith(("tcp://", "usb://", "serial://", "file://")):
        raise SettingsError(f"setting {key}: must start with tcp://, usb://, serial:// or file://")


def _receipt_encoding(key: str, value: str) -> None:
    if value.lower() not in ("gb18030", "gbk"):
        raise SettingsError(f"setting {key}: must be gb18030 or gbk, got {value!r}")


def _one_of(*choices: str):
    def check(key: str, value: str) -> None:
        if value not in choices:
            raise SettingsError(f"setting {key}: must be {' or '.join(choices)}, got {value!r}")

    return check


def _rate_limit(key: str, value: str) -> None:
    from limits import parse_many

    try:
        parse_many(value)
    except ValueError:
        raise SettingsError(f"setting {key}: not a rate limit such as \"10 per minute\": "
                            f"{value!r}") from None


def _csp_sources(key: str, value: str) -> None:
    if not value.strip() or any(c in value for c in ";,\r\n"):
        raise SettingsError(f"setting {key}: must be CSP sources separated by spaces, "
                            f"such as \"'self' https://signage.example\"")


def _networks(key: str, value: list) -> None:

    for network in value:
        try:
            ipaddress.ip_network(network)
        except (TypeError, ValueError):
            raise SettingsError(f"setting {key}: not a network such as 10.0.0.0/8: "
                                f"{network!r}") from None


def _non_empty(key: str, value: list) -> None:
    if not value:
        raise SettingsError(f"setting {key}: must not be empty")


def _timezone(key: str, value: Any) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise SettingsError(f"setting {key}: not a known time zone: {value!r}") from None


def _percent(key: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= 100:
        raise SettingsError(f"setting {key}: must be a whole number from 1 to 100")


CHECKS = {
    "server.port": _port,
    "server.public_base_url": _http_url,
    "server.workers": _not_negative,
    "server.threads": _positive,
    "server.max_request_bytes": _positive,
    "server.proxy_hops": _not_negative,
    "streams.port": _port,
    "streams.workers": _positive,
    "streams.max_clients": _positive,
    "database.url": _database_url,
    "database.sqlite_busy_timeout_ms": _positive,
    "database.pool_size": _positive,
    "redis.url": _redis_url,
    "i18n.locales": _non_empty,
    "catalogue.member_levels": _non_empty,
    "catalogue.business_types": _non_empty,
    "centre.latitude": _latitude,
    "centre.longitude": _longitude,
    "centre.timezone": _timezone,
    "console.idle_minutes": _positive,
    "console.login_limit": _rate_limit,
    "console.lock_after": _positive,
    "console.lock_minutes": _positive,
    "server.secret_key": _secret,
    "console.import_max_bytes": _positive,
    "console.picture_max_bytes": _positive,
    "console.picture_max_px": _positive,
    "limits.checkout": _rate_limit,
    "limits.slot_lookup": _rate_limit,
    "limits.screen_registration": _rate_limit,
    "displays.frame_ancestors": _csp_sources,
    "consignment.unsold_days": _positive,
    "consignment.return_offer_percent": _percent,
    "kiosk.page_cache_seconds": _not_negative,
    "kiosk.idle_reset_s": _positive,
    "displays.window_days": _positive,
    "displays.products": _positive,
    "displays.per_page": _positive,
    "displays.page_seconds": _positive,
    "displays.small_carton_litres": _positive,
    "displays.silent_after_s": _positive,
    "displays.pending_screens": _positive,
    "displays.pending_hours": _positive,
    "carts.idle_minutes": _positive,
    "buyers.session_days": _positive,
    "buyers.code_minutes": _positive,
    "buyers.code_tries": _positive,
    "buyers.resend_seconds": _not_negative,
    "buyers.codes_per_phone_hour": _positive,
    "buyers.codes_per_address_hour": _positive,
    "buyers.credit_terms_days": _positive,
    "holds.guest_orders": _positive,
    "holds.guest_value": _positive,
    "holds.guest_product_percent": _percent,
    "holds.member_orders": _positive,
    "holds.member_value": _positive,
    "holds.member_product_percent": _percent,
    "sms.provider": _sms_provider,
    "sms.aliyun_endpoint": _http_url,
    "sms.timeout_s": _positive,
    "orders.hold_minutes": _positive,
    "orders.allocate_first": _allocation,
    "orders.local_delivery_radius_km": _positive,
    "printing.receipt_printer": _printer,
    "printing.receipt_encoding": _receipt_encoding,
    "printing.receipt_width": _positive,
    "printing.label_printer": _printer,
    "printing.label_qr": _one_of("native", "raster"),
    "printing.label_width_dots": _positive,
    "printing.timeout_s": _positive,
    "log.format": _one_of("text", "json"),
    "metrics.allowed_networks": _networks,
    "worker.poll_interval_s": _positive,
    "worker.lease_seconds": _positive,
    "worker.batch_size": _positive,
    "worker.max_attempts": _positive,
    "log.level": _log_level,
}


def check_together(values: dict[str, Any]) -> None:
    """Check the rules that tie settings to each other."""
    if values["sms.provider"] == "aliyun":
        for key in ("sms.aliyun_access_key_id", "sms.aliyun_access_key_secret",
                    "sms.aliyun_sign_name", "sms.aliyun_template_code"):
            if not values[key]:
                raise SettingsError(f"setting {key}: needed when sms.provider is \"aliyun\"")
    if len(values["buyers.level_spend"]) != len(values["catalogue.member_levels"]):
        raise SettingsError("setting buyers.level_spend: needs one amount per member level of "
                            "catalogue.member_levels")
    if values["i18n.default_locale"] not in values["i18n.locales"]:
        raise SettingsError("setting i18n.default_locale: must be one of i18n.locales")
