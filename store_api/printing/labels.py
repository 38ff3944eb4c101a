"""Shelf labels: which slots to print, what each label shows, and which printed labels are stale."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from shelf_labels.layout import LabelData
from shelf_labels.pdf import render_pdf
from shelf_labels.qr import slot_url
from shelf_labels.templates import Template, load_templates
from store_api.catalogue.models import Product, ShelfSlot, Zone
from store_api.catalogue.pricing import level_tiers
from store_api.core.db import Database
from store_api.core.errors import DomainError
from store_api.core.models import utcnow
from store_api.core.resources import config_dir
from store_api.printing import queue as printing
from store_api.printing.models import PrintedLabel, PrintJob


def templates() -> dict[str, Template]:
    """Return the label templates of config/labels.toml."""
    return load_templates(config_dir() / "labels.toml")


def template_named(name: str) -> Template:
    """Return a template by name, or raise naming the template field."""
    template = templates().get(name)
    if template is None:
        raise DomainError(_l("There is no label template %(name)s."), code="unknown_template",
                          field="template", name=name[:40])
    return template


def _nothing_chosen() -> DomainError:
    return DomainError(_l("Choose which slots to print."), code="no_selection",
                       field="selection")


def _slots(session: Session):
    return (select(ShelfSlot)
            .where(ShelfSlot.status == "active", ShelfSlot.product_id.is_not(None))
            .options(joinedload(ShelfSlot.zone),
                     joinedload(ShelfSlot.product).selectinload(Product.price_tiers))
            .order_by(ShelfSlot.zone_id, ShelfSlot.aisle, ShelfSlot.shelf, ShelfSlot.position))


def shown(slot: ShelfSlot, base_level: str) -> dict:
    """Return the facts a label of the slot shows now; a change to any makes its label stale."""
    product = slot.product
    ladder = [[t.min_quantity, t.unit_price_fen]
              for t in level_tiers(product.price_tiers, base_level, base_level)[:3]]
    return {"name": product.name_zh, "ladder": ladder, "moq": product.moq,
            "case_pack": product.case_pack, "zone": slot.zone.code,
            "place": f"{slot.aisle}-{slot.shelf}-{slot.position}", "code": slot.code}


def select_slots(session: Session, *, everything: bool = False, zone: str | None = None,
                 codes: list[str] | None = None, stale: bool = False,
                 base_level: str = "standard") -> list[ShelfSlot]:
    """Return the slots chosen by one of: everything, a zone, a list of codes, or stale labels."""
    query = _slots(session)
    if zone:
        query = query.join(Zone, ShelfSlot.zone_id == Zone.id).where(Zone.code == zone)
    if codes:
        query = query.where(ShelfSlot.code.in_([c.strip().upper() for c in codes]))
    slots = list(session.scalars(query).unique())
    if codes and len(slots) != len(set(c.strip().upper() for c in codes)):
        found = {slot.code for slot in slots}
        missing = [c for c in codes if c.strip().upper() not in found]
        raise DomainError(_l("No active shelf slot has the code %(slot)s."),
                          code="unknown_slot", field="slot", slot=missing[0])
    if stale:
        changed = {entry.slot.id for entry in stale_labels(session, base_level)}
        slots = [slot for slot in slots if slot.id in changed]
    if not (everything or zone or codes or stale):
        raise _nothing_chosen()
    return slots


@dataclass(frozen=True)
class StaleLabel:
    slot: ShelfSlot
    printed: dict
    now: dict

    @property
    def changed(self) -> list[str]:
        """Names of the facts that changed since the label was printed."""
        return sorted(key for key in self.now if self.now[key] != self.printed.get(key))


def stale_labels(session: Session, base_level: str) -> list[StaleLabel]:
    """Return every slot whose last printed label shows something that is no longer true."""
    last = select(PrintedLabel.slot_id, func.max(PrintedLabel.id).label("id")).group_by(
        PrintedLabel.slot_id).subquery()
    printed = {entry.slot_id: entry.shown for entry in session.scalars(
        select(PrintedLabel).join(last, PrintedLabel.id == last.c.id))}
    return [StaleLabel(slot, printed[slot.id], shown(slot, base_level))
            for slot in session.scalars(_slots(session)).unique()
            if slot.id in printed and printed[slot.id] != shown(slot, base_level)]


def label_data(slot: ShelfSlot, base_url: str, base_level: str, today: date) -> LabelData:
    """Return the plain data the label library draws for a slot."""
    facts = shown(slot, base_level)
    return LabelData(
        name=facts["name"], ladder=[tuple(tier) for tier in facts["ladder"]], moq=facts["moq"],
        case_pack=facts["case_pack"], zone_name=slot.zone.name_zh, zone_colour=slot.zone.colour,
        slot_text=f"{facts['place']} · {slot.code}", url=slot_url(base_url, slot.code),
        printed_on=today,
    )


def queue_thermal(db: Database, slot_ids: list[int], *, base_url: str,
                  base_level: str) -> int:
    """Queue the slots' labels for the thermal label printer; return the print job's id."""
    today = date.today()
    with db.unit_of_work() as session:
        slots = list(session.scalars(_slots(session).where(ShelfSlot.id.in_(slot_ids))).unique())
        if not slots:
            raise DomainError(_l("Choose which slots to print."), code="no_selection",
                              field="selection")
        labels = []
        for slot in slots:
            data = label_data(slot, base_url, base_level, today)
            labels.append({**data.__dict__, "printed_on": today.isoformat()})
            session.add(PrintedLabel(slot_id=slot.id, template="thermal",
                                     shown=shown(slot, base_level)))
        return printing.queue(session, "label", "labels", {"labels": labels}).id


def _check_layout(template: Template, skip, copies) -> None:
    whole = all(isinstance(n, int) and not isinstance(n, bool) for n in (skip, copies))
    if not whole or not 0 <= skip < template.per_page or not 1 <= copies <= 100:
        raise DomainError(_l("Skip fewer positions than a sheet holds, and print 1 to 100 "
                             "copies."), code="invalid_layout", field="skip")


def print_labels(db: Database, slot_ids: list[int], *, template_name: str, base_url: str,
                 base_level: str, font_path: Path, skip: int = 0, copies: int = 1,
                 progress: Callable[[int], None] | None = None) -> bytes:
    """Render the slots' labels to PDF and record what each showed; return the PDF."""
    template = template_named(template_name)
    _check_layout(template, skip, copies)
    today = date.today()
    # Read, render, then record: no write lock is held while the PDF is drawn.
    with db.read_session() as session:
        slots = {slot.id: slot for slot in session.scalars(
            _slots(session).where(ShelfSlot.id.in_(slot_ids))).unique()}
    ordered = [slots[i] for i in slot_ids if i in slots]
    pdf = render_pdf((label_data(slot, base_url, base_level, today) for slot in ordered),
                     template, font_path=font_path, skip=skip, copies=copies, progress=progress)
    with db.unit_of_work() as session:
        session.add_all([PrintedLabel(slot_id=slot.id, template=template.name,
                                      shown=shown(slot, base_level)) for slot in ordered])
    return pdf


def queue_pdf(db: Database, slot_ids: list[int], *, template_name: str, skip: int,
              copies: int) -> int:
    """Queue a label sheet PDF to be rendered by the worker; return the job's id."""
    template = template_named(template_name)
    if not slot_ids:
        raise _nothing_chosen()
    _check_layout(template, skip, copies)
    with db.unit_of_work() as session:
        return printing.queue(session, "label-pdf", "pdf", {
            "slots": slot_ids, "template": template_name, "skip": skip, "copies": copies,
            "done": 0, "total": len(slot_ids)}, render=True).id


def pdf_path(var_dir: Path, job_id: int) -> Path:
    """Return where a rendered label job's PDF is kept."""
    return var_dir / "prints" / f"labels-{job_id:08d}.pdf"


def render_job(message, app_state) -> None:
    """Worker: render a queued label PDF, noting progress on the job as it goes."""
    settings, db = app_state.settings, app_state.db
    with db.read_session() as session:
        job = printing.job_of(session, message)
        payload = dict(job.payload)
    last = [0.0]

    def progress(done: int) -> None:
        # A write every half second is enough for a progress bar, and cheap for the database.
        now = time.monotonic()
        if now - last[0] >= 0.5 or done == payload["total"]:
            last[0] = now
            _set_job(db, job.id, done=done)

    pdf = print_labels(db, payload["slots"], template_name=payload["template"],
                       base_url=settings.server.public_base_url,
                       base_level=settings.catalogue.member_levels[0],
                       font_path=Path(settings.labels.font_path), skip=payload["skip"],
                       copies=payload["copies"], progress=progress)
    target = pdf_path(settings.var_dir, job.id)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(pdf)
    _set_job(db, job.id, done=payload["total"], finished=True)


def _set_job(db: Database, job_id: int, *, done: int, finished: bool = False) -> None:
    with db.unit_of_work() as session:
        job = session.get(PrintJob, job_id)
        job.payload = {**job.payload, "done": done}
        if finished:
            job.printed_at = utcnow()
