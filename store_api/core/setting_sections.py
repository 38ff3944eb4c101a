"""Settings as typed sections, one frozen dataclass per [section] of config/default.toml:
what code receives (`settings.orders.hold_minutes`), built once the values are checked."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Server:
    """The web server: where it listens, how it is reached, its workers and limits."""

    host: str
    port: int
    public_base_url: str
    workers: int
    threads: int
    secret_key: str
    proxy_hops: int
    max_request_bytes: int


@dataclass(frozen=True)
class Streams:
    """The event-stream server for zone screens and order pages."""

    port: int
    workers: int
    max_clients: int


@dataclass(frozen=True)
class Paths:
    """Where the server keeps its files."""

    var_dir: str


@dataclass(frozen=True)
class Database:
    """The database and its connections."""

    url: str
    sqlite_busy_timeout_ms: int
    pool_size: int
    echo: bool


@dataclass(frozen=True)
class Redis:
    """Redis, for the broker, the page cache and rate limits in production."""

    url: str


@dataclass(frozen=True)
class I18n:
    """The languages pages and messages are offered in."""

    default_locale: str
    locales: list[str]


@dataclass(frozen=True)
class Catalogue:
    """Member levels (cheapest last) and business types."""

    member_levels: list[str]
    business_types: list[str]


@dataclass(frozen=True)
class Centre:
    """Where the centre is, and its time zone."""

    latitude: float
    longitude: float
    timezone: str


@dataclass(frozen=True)
class Console:
    """The staff console: idle sign-out, sign-in limits, upload sizes."""

    idle_minutes: int
    login_limit: str
    import_max_bytes: int
    picture_max_bytes: int
    picture_max_px: int


@dataclass(frozen=True)
class Limits:
    """Rate limits per client address."""

    enabled: bool
    checkout: str
    slot_lookup: str


@dataclass(frozen=True)
class Consignment:
    """The unsold-goods offer to factories."""

    unsold_days: int
    return_offer_percent: int


@dataclass(frozen=True)
class Kiosk:
    """The touch kiosk and the scan page cache."""

    page_cache_seconds: float
    idle_reset_s: int


@dataclass(frozen=True)
class Displays:
    """What zone screens show, and who may frame them."""

    window_days: int
    products: int
    per_page: int
    page_seconds: int
    small_carton_litres: float
    silent_after_s: int
    frame_ancestors: str


@dataclass(frozen=True)
class Carts:
    """How long an untouched cart lives."""

    idle_minutes: int


@dataclass(frozen=True)
class Orders:
    """Holds, where goods are taken from first, local delivery."""

    hold_minutes: int
    allocate_first: str
    local_delivery_radius_km: float


@dataclass(frozen=True)
class Printing:
    """Receipt and label printers."""

    receipt_printer: str
    receipt_encoding: str
    receipt_width: int
    receipt_raster_text: bool
    label_printer: str
    label_raster_text: bool
    label_qr: str
    label_width_dots: int
    timeout_s: float
    receipt_header: str


@dataclass(frozen=True)
class Labels:
    """Shelf label rendering."""

    font_path: str


@dataclass(frozen=True)
class Worker:
    """The outbox worker."""

    run_in_serve: bool
    poll_interval_s: float
    lease_seconds: int
    batch_size: int
    max_attempts: int


@dataclass(frozen=True)
class Metrics:
    """Who may read /metrics."""

    allowed_networks: list[str]


@dataclass(frozen=True)
class Log:
    """Logging."""

    level: str
    format: str


SECTIONS = {
    "server": Server,
    "streams": Streams,
    "paths": Paths,
    "database": Database,
    "redis": Redis,
    "i18n": I18n,
    "catalogue": Catalogue,
    "centre": Centre,
    "console": Console,
    "limits": Limits,
    "consignment": Consignment,
    "kiosk": Kiosk,
    "displays": Displays,
    "carts": Carts,
    "orders": Orders,
    "printing": Printing,
    "labels": Labels,
    "worker": Worker,
    "metrics": Metrics,
    "log": Log,
}
