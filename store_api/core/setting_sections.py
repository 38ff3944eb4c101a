"""Settings as typed sections, one frozen dataclass per [section] of config/default.toml:
what code receives (`settings.orders.hold_minutes`), built once the values are checked."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Server:
    """The web server: where it listens, how it is reached, its workers and limits."""

    host: str  # address gunicorn binds to
    port: int  # port gunicorn binds to
    public_base_url: str  # base of the URLs in shelf QR codes
    workers: int  # gunicorn processes; 0: one per CPU
    threads: int  # per gunicorn worker
    secret_key: str  # signs session cookies; empty: a random one in var/
    proxy_hops: int  # proxies whose X-Forwarded-* headers are trusted
    max_request_bytes: int  # largest request body


@dataclass(frozen=True)
class Streams:
    """The event-stream server for zone screens and order pages."""

    port: int  # port of `xuanpin streams`
    workers: int  # gevent worker processes
    max_clients: int  # open streams per streams worker


@dataclass(frozen=True)
class Paths:
    """Where the server keeps its files."""

    var_dir: str  # database, pictures, print files, secret key


@dataclass(frozen=True)
class Database:
    """The database and its connections."""

    url: str  # SQLAlchemy URL; empty: SQLite in var_dir
    sqlite_busy_timeout_ms: int  # a SQLite writer waits for the lock, ms
    pool_size: int  # connections kept open per process
    echo: bool  # log every SQL statement


@dataclass(frozen=True)
class Redis:
    """Redis, for the broker, the page cache and rate limits in production."""

    url: str  # empty: in-process, one host only


@dataclass(frozen=True)
class I18n:
    """The languages pages and messages are offered in."""

    default_locale: str  # when the buyer has chosen none
    locales: list[str]  # offered, in the switch's order


@dataclass(frozen=True)
class Catalogue:
    """Member levels (cheapest last) and business types."""

    member_levels: list[str]  # lowest first; the first is every buyer's
    business_types: list[str]  # what a buyer can say they are


@dataclass(frozen=True)
class Centre:
    """Where the centre is, and its time zone."""

    latitude: float  # of the centre, for the delivery radius
    longitude: float  # of the centre
    timezone: str  # days and months of reports and statements


@dataclass(frozen=True)
class Console:
    """The staff console: idle sign-out, sign-in limits, upload sizes."""

    idle_minutes: int  # idle minutes before staff are signed out
    login_limit: str  # sign-in tries per address
    lock_after: int  # failed sign-ins in a row that lock an account
    lock_minutes: int  # how long it stays locked
    import_max_bytes: int  # largest catalogue sheet
    picture_max_bytes: int  # largest uploaded picture
    picture_max_px: int  # pictures are scaled to this side


@dataclass(frozen=True)
class Limits:
    """Rate limits per client address."""

    enabled: bool  # benchmarks from one address turn them off
    checkout: str  # orders per address
    slot_lookup: str  # slot lookups per address
    screen_registration: str  # new zone screens per address


@dataclass(frozen=True)
class Consignment:
    """The unsold-goods offer to factories."""

    unsold_days: int  # days unsold before stock is offered back
    return_offer_percent: int  # of the supply price


@dataclass(frozen=True)
class Kiosk:
    """The touch kiosk and the scan page cache."""

    page_cache_seconds: float  # seconds a scan page is served from cache
    idle_reset_s: int  # seconds untouched before the kiosk starts over


@dataclass(frozen=True)
class Displays:
    """What zone screens show, and who may frame them."""

    window_days: int  # days of orders that rank the bestsellers
    products: int  # ranked on a zone screen
    per_page: int  # products on one page of a screen
    page_seconds: int  # seconds before the screen turns the page
    small_carton_litres: float  # packed litres that count as a small carton
    silent_after_s: int  # seconds without a heartbeat: silent
    pending_screens: int  # screens waiting for approval at once
    pending_hours: int  # hours a new screen waits before its code expires
    frame_ancestors: str  # who may frame a zone screen (CSP)


@dataclass(frozen=True)
class Buyers:
    """Proving a buyer's phone: codes, resends, how long a device stays signed in."""

    session_days: int  # unused this long, a device signs out
    code_minutes: int  # a code is valid this long
    code_tries: int  # wrong tries that lock a code
    resend_seconds: int  # between two codes to one phone
    codes_per_phone_hour: int
    codes_per_address_hour: int
    credit_terms_days: int  # an on-account charge is due this long after it
    level_spend: list[float]  # yuan a year per member level, as catalogue.member_levels


@dataclass(frozen=True)
class Holds:
    """What unpaid orders may hold, tighter for a guest device than for a signed-in buyer."""

    guest_orders: int  # open unpaid orders at once
    guest_value: float  # yuan held unpaid
    guest_product_percent: int  # of a product's stock
    member_orders: int
    member_value: float
    member_product_percent: int


@dataclass(frozen=True)
class Sms:
    """Who sends one-time codes, and Alibaba Cloud SMS's account, signature and template."""

    provider: str  # "log" or "aliyun"
    aliyun_endpoint: str  # the service's URL; a test points it at 127.0.0.1
    aliyun_access_key_id: str
    aliyun_access_key_secret: str
    aliyun_sign_name: str  # 签名, approved by Alibaba Cloud
    aliyun_template_code: str  # 模板 taking ${code}
    timeout_s: float  # to wait before the send is retried


@dataclass(frozen=True)
class Carts:
    """How long an untouched cart lives."""

    idle_minutes: int  # untouched minutes before a cart expires


@dataclass(frozen=True)
class Orders:
    """Holds, where goods are taken from first, local delivery."""

    hold_minutes: int  # an unpaid order holds its stock this long
    allocate_first: str  # "centre" or "factory"
    local_delivery_radius_km: float  # around the centre


@dataclass(frozen=True)
class Fulfilment:
    """Forwarding to factories: where their webhooks may point."""

    allow_private_webhooks: bool  # webhooks to the centre's own network


@dataclass(frozen=True)
class Printing:
    """Receipt and label printers."""

    receipt_printer: str  # tcp://, usb://, serial:// or file://
    receipt_encoding: str  # gb18030 or gbk, in Chinese mode
    receipt_width: int  # printed columns: 32 (58 mm) or 48 (80 mm)
    receipt_raster_text: bool  # print text as an image
    label_printer: str  # same forms as receipt_printer
    label_raster_text: bool  # print label text as an image
    label_qr: str  # "native" QR command or "raster"
    label_width_dots: int  # printable width of the label printer
    timeout_s: float  # seconds to connect and send to a printer
    receipt_header: str  # first line of every receipt


@dataclass(frozen=True)
class Labels:
    """Shelf label rendering."""

    font_path: str  # a font with Chinese glyphs


@dataclass(frozen=True)
class Worker:
    """The outbox worker."""

    run_in_serve: bool  # the worker runs as a thread of `xuanpin serve`
    poll_interval_s: float  # seconds between polls of an empty outbox
    lease_seconds: int  # seconds a worker owns a leased message
    batch_size: int  # messages leased per poll
    max_attempts: int  # before a message is marked dead


@dataclass(frozen=True)
class Metrics:
    """Who may read /metrics."""

    allowed_networks: list[str]  # who may read /metrics


@dataclass(frozen=True)
class Log:
    """Logging."""

    level: str  # of the server log
    format: str  # "text" or "json"


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
    "buyers": Buyers,
    "holds": Holds,
    "sms": Sms,
    "carts": Carts,
    "orders": Orders,
    "fulfilment": Fulfilment,
    "printing": Printing,
    "labels": Labels,
    "worker": Worker,
    "metrics": Metrics,
    "log": Log,
}
