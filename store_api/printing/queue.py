"""The print queue: print jobs are rows; the worker formats them and sends them to a printer.

A printer that is off or unplugged never holds up a web request: a job is written with the
change that causes it, and the worker tries it again with backoff until the printer answers.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from escpos.printer import Network, Serial, Usb
from flask_babel import force_locale, format_datetime
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from shelf_labels.layout import WORDS_ZH as LABEL_WORDS
from shelf_labels.layout import LabelData
from shelf_labels.receipts import Receipt, ReceiptLine, receipt_bytes
from shelf_labels.thermal import label_bytes
from store_api.core.db import Database
from store_api.core.errors import NotFound
from store_api.core.models import utcnow
from store_api.core.names import GROUP_NAMES, GROUP_STATUS_NAMES, LEVEL_NAMES, PAYMENT_METHOD_NAMES
from store_api.core.state import AppState
from store_api.core.worker import enqueue, retry
from store_api.printing.models import PrintJob

TOPIC = "print.job"
RENDER_TOPIC = "labels.render"
RECEIPT_WORDS = {"order": _l("Order"), "total": _l("Total"), "payment": _l("Payment"),
                 "reference": _l("Reference"), "track": _l("Scan to follow your order")}


def queue(session: Session, kind: str, printer: str, payload: dict, *,
          render: bool = False) -> PrintJob:
    """Add a print job (or a label sheet to render) and the outbox message that carries it
    out, in the caller's transaction."""
    [message_id] = enqueue(session, RENDER_TOPIC if render else TOPIC, {})
    job = PrintJob(kind=kind, printer=printer, payload=payload, message_id=message_id)
    session.add(job)
    session.flush()
    return job


def job_of(session: Session, message) -> PrintJob:
    """Return the print job an outbox message carries out."""
    return session.scalar(select(PrintJob).where(PrintJob.message_id == message.message_id))


def reprint(db: Database, job_id: int) -> None:
    """Send a job again, now: a waiting one is made due, a printed or failed one goes out once
    more; nothing but the print is repeated."""
    with db.unit_of_work() as session:
        job = session.get(PrintJob, job_id)
        if job is None:
            raise NotFound(_l("There is no such print job."), field="job")
        retry(session, job.message_id)
        job.printed_at = None


def _local_time(iso: str) -> str:
    return format_datetime(datetime.fromisoformat(iso), "yyyy-MM-dd HH:mm")


def receipt_from(payload: dict, app_state: AppState) -> Receipt:
    """Turn a receipt job's data into the receipt to print, in the centre's language."""
    settings = app_state.settings

    def group_line(group: dict) -> str:
        line = f"{GROUP_NAMES[group['kind']]}：{GROUP_STATUS_NAMES[group['status']]}"
        if group.get("promise_hours"):
            line += " " + str(_l("ships within %(h)s hours", h=group["promise_hours"]))
        return line

    return Receipt(
        header=settings.printing.receipt_header,
        order=payload["order"],
        placed_at=_local_time(payload["placed_at"]),
        lines=[ReceiptLine(line["name"], line["quantity"], line["unit_price_fen"],
                           f"{LEVEL_NAMES.get(line['level'], line['level'])} ≥{line['tier']}")
               for line in payload["lines"]],
        total_fen=payload["total_fen"],
        payment=str(PAYMENT_METHOD_NAMES[payload["method"]]),
        reference=payload.get("reference", ""),
        groups=[group_line(group) for group in payload["groups"]],
        track_url=settings.server.public_base_url.rstrip("/") + payload["track_path"],
        words={key: str(word) for key, word in RECEIPT_WORDS.items()},
    )


def send(target: str, data: bytes, *, timeout: float, folder: Path, name: str) -> None:
    """Send bytes to a printer named by URL; an empty target writes a file under folder."""
    parts = urlsplit(target)
    if not target or parts.scheme == "file":
        destination = Path(parts.netloc + parts.path) if target else folder
        destination.mkdir(parents=True, exist_ok=True)
        (destination / name).write_bytes(data)
        return
    if parts.scheme == "tcp":
        printer = Network(parts.hostname, parts.port or 9100, timeout=timeout)
    elif parts.scheme == "usb":
        vendor, product = parts.netloc.split(":")
        printer = Usb(int(vendor, 16), int(product, 16), timeout=int(timeout * 1000))
    else:
        baudrate = int(parse_qs(parts.query).get("baudrate", ["9600"])[0])
        printer = Serial(devfile=parts.path, baudrate=baudrate, timeout=timeout)
    printer.open()
    try:
        printer._raw(data)
    finally:
        printer.close()


def _bytes_and_target(kind: str, payload: dict, app_state: AppState) -> tuple[bytes, str]:
    """Return what a job prints, and the printer it goes to."""
    settings = app_state.settings
    font = Path(settings.labels.font_path)
    encoding = settings.printing.receipt_encoding
    if kind == "label":
        raster = font if settings.printing.label_raster_text else None
        # A label's words are the library's own; a job queued by an older release may carry
        # fewer of them, so stored words are not read back.
        labels = [LabelData(**{**label, "ladder": [tuple(t) for t in label["ladder"]],
                               "printed_on": date.fromisoformat(label["printed_on"]),
                               "words": dict(LABEL_WORDS)})
                  for label in payload["labels"]]
        data = label_bytes(labels, native_qr=settings.printing.label_qr == "native",
                           encoding=encoding, raster_font=raster,
                           width_dots=settings.printing.label_width_dots)
        return data, settings.printing.label_printer
    with app_state.app.app_context(), force_locale(settings.i18n.default_locale):
        receipt = receipt_from(payload, app_state)
    raster = font if settings.printing.receipt_raster_text else None
    data = receipt_bytes(receipt, encoding=encoding, width=settings.printing.receipt_width,
                         raster_font=raster)
    return data, settings.printing.receipt_printer


def print_job(message, app_state: AppState) -> None:
    """Format a job and send it; a failure is the message's to retry, a success is noted."""
    settings, db = app_state.settings, app_state.db
    with db.read_session() as session:
        job = job_of(session, message)
        job_id, kind, payload = job.id, job.kind, job.payload
    data, target = _bytes_and_target(kind, payload, app_state)
    send(target, data, timeout=settings.printing.timeout_s, folder=settings.var_dir / "prints",
         name=f"{kind}-{job_id:08d}-{message.attempts}.bin")
    with db.unit_of_work() as session:
        session.get(PrintJob, job_id).printed_at = utcnow()


def printer_states(session: Session) -> list[dict]:
    """Return each printer's latest job: whether it printed, waits, or failed, and why."""
    latest = {}
    for job in session.scalars(select(PrintJob).order_by(PrintJob.id.desc()).limit(200)):
        latest.setdefault(job.printer, job)
    return [{"printer": name, "status": job.status, "error": job.error, "job": job.id}
            for name, job in sorted(latest.items())]


def recent_jobs(session: Session, limit: int = 100) -> list[PrintJob]:
    """Return the latest print jobs, newest first."""
    return list(session.scalars(select(PrintJob).order_by(PrintJob.id.desc()).limit(limit)))
