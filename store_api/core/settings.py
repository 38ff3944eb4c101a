"""Settings: config/default.toml, then the file named by XUANPIN_CONFIG, then XUANPIN_* vars."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from store_api.core import setting_sections as sections
from store_api.core.resources import config_dir
from store_api.core.setting_checks import CHECKS, SettingsError, check_together

ENV_PREFIX = "XUANPIN_"
# Variables that steer the program or its tests rather than name a setting.
NON_SETTING_ENV = {"XUANPIN_CONFIG", "XUANPIN_REQUIRE_SERVICES"}
__all__ = ["Settings", "SettingsError", "env_name", "load_settings"]


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
    fulfilment: sections.Fulfilment
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

    for key, check in CHECKS.items():
        check(key, values[key])
    check_together(values)
    return Settings(values)
