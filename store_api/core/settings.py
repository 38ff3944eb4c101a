"""Settings: config/default.toml, then the file named by XUANPIN_CONFIG, then XUANPIN_* vars."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from store_api.core import setting_sections as sections
from store_api.core.resources import config_dir

ENV_PREFIX = "XUANPIN_"
# Variables that steer the program or its tests rather than name a setting.
NON_SETTING_ENV = {"XUANPIN_CONFIG", "XUANPIN_REQUIRE_SERVICES"}

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
    import ipaddress

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


_CHECKS = {
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


def _flatten(tree: Mapping[str, Any], origin: str) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for section, values in tree.items():
        if not isinstance(values, Mapping):
            raise SettingsError(f"setting {section} in {origin}: expected a [section] table")
        for key, value in values.items():
            flat[f"{section}.{key}"] = value
    return flat


def _coerce(key: str, default: Any, value: Any, origin: str, from_text: bool) -> Any:
    """Bring a value to the kind of its default; text from the environment is parsed."""
    kind = type(default)
    if from_text and kind is not str:
        text = value.strip()
        try:
            if kind is bool:
                lowered = text.lower()
                if lowered not in {"1", "0", "true", "false", "yes", "no", "on", "off"}:
                    raise ValueError(text)
                return lowered in {"1", "true", "yes", "on"}
            if kind is int:
                return int(text)
            if kind is float:
                return float(text)
            if kind is list:
                parts = [part.strip() for part in text.strip("[]").split(",") if part.strip()]
                return [_item(default, part) for part in parts]
        except ValueError:
            raise SettingsError(
                f"setting {key} from {origin}: expected {kind.__name__}, got {value!r}"
            ) from None
    if kind is float and type(value) is int:
        return float(value)
    if type(value) is not kind:
        raise SettingsError(
            f"setting {key} from {origin}: expected {kind.__name__}, got {type(value).__name__}"
        )
    if kind is list:
        numbers = bool(default) and not isinstance(default[0], str)
        if not all(isinstance(item, str) if not numbers else
                   isinstance(item, int | float) and not isinstance(item, bool) for item in value):
            raise SettingsError(f"setting {key} from {origin}: expected a list of "
                                f"{'numbers' if numbers else 'strings'}")
    return value


def _item(default: list, text: str):
    """A list item read from text, of the kind the default's items are."""
    return float(text) if default and not isinstance(default[0], str) else text


class Settings(Mapping[str, Any]):
    """Read-only settings: typed sections for code (`settings.orders.hold_minutes`), and
    keys "section.key" for what names a setting by text (templates, limits, overrides)."""

    server: sections.Server
    streams: sections.Streams
    paths: sections.Paths
    database: sections.Database
    redis: sections.Redis
    i18n: sections.I18n
    catalogue: sections.Catalogue
    centre: sections.Centre
    console: sections.Console
    limits: sections.Limits
    consignment: sections.Consignment
    kiosk: sections.Kiosk
    displays: sections.Displays
    carts: sections.Carts
    buyers: sections.Buyers
    holds: sections.Holds
    sms: sections.Sms
    orders: sections.Orders
    printing: sections.Printing
    labels: sections.Labels
    worker: sections.Worker
    metrics: sections.Metrics
    log: sections.Log

    def __init__(self, values: dict[str, Any]):
        self._values = values
        by_section: dict[str, dict[str, Any]] = {name: {} for name in sections.SECTIONS}
        for key, value in values.items():
            section, _, name = key.partition(".")
            by_section[section][name] = value
        for section, kind in sections.SECTIONS.items():
            setattr(self, section, kind(**by_section[section]))

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    @property
    def var_dir(self) -> Path:
        """Return the absolute var/ folder."""
        return Path(self.paths.var_dir).resolve()

    @property
    def production(self) -> bool:
        """Whether this is a production configuration: PostgreSQL rather than embedded SQLite."""
        return self.database_url.startswith("postgresql")

    @property
    def database_url(self) -> str:
        """Return the database URL, SQLite under var/ when none is set."""
        return self.database.url or f"sqlite:///{self.var_dir / 'xuanpin.db'}"


def env_name(key: str) -> str:
    """Return the environment variable that overrides a setting key."""
    return ENV_PREFIX + key.replace(".", "_").replace("-", "_").upper()


def load_settings(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> Settings:
    """Load and check every setting; raise SettingsError naming the first bad key."""
    environ = os.environ if environ is None else environ
    defaults = _flatten(tomllib.loads((config_dir() / "default.toml").read_text("utf-8")), "")
    values = dict(defaults)

    def apply(key: str, value: Any, origin: str, from_text: bool = False) -> None:
        if key not in defaults:
            raise SettingsError(f"unknown setting {key} in {origin}")
        values[key] = _coerce(key, defaults[key], value, origin, from_text)

    config_file = environ.get("XUANPIN_CONFIG")
    if config_file:
        path = Path(config_file)
        try:
            tree = tomllib.loads(path.read_text("utf-8"))
        except OSError as exc:
            raise SettingsError(f"XUANPIN_CONFIG: cannot read {path}: {exc.strerror}") from None
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"XUANPIN_CONFIG: {path} is not valid TOML: {exc}") from None
        for key, value in _flatten(tree, str(path)).items():
            apply(key, value, str(path))

    by_env = {env_name(key): key for key in defaults}
    for name, value in environ.items():
        if not name.startswith(ENV_PREFIX) or name in NON_SETTING_ENV:
            continue
        if name not in by_env:
            raise SettingsError(f"unknown setting in environment variable {name}")
        apply(by_env[name], value, name, from_text=True)

    for key, value in (overrides or {}).items():
        apply(key, value, "overrides")

    for key, check in _CHECKS.items():
        check(key, values[key])
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
    return Settings(values)
