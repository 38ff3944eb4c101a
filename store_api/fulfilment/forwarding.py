"""Forwarding factory groups: a forward per group at payment, delivered by the worker as a
signed webhook (Standard Webhooks) to the factory's URL, at an address checked as it is sent
(webhook_address), every attempt recorded."""

from __future__ import annotations

import json
import time

import urllib3
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from store_api.core import events, webhooks
from store_api.core.db import Database
from store_api.core.errors import DomainError, NotFound
from store_api.core.models import OutboxMessage, utcnow
from store_api.core.names import FORWARD_STATE_NAMES
from store_api.core.state import AppState
from store_api.core.worker import GiveUp, RetryLater, enqueue, retry
from store_api.factories.models import Factory
from store_api.fulfilment import webhook_address
from store_api.fulfilment.models import (
    BEFORE_SHIPPING,
    HELD,
    UNSENT,
    DeliveryAttempt,
    Forward,
    ForwardEvent,
)
from store_api.orders.models import FulfilmentGroup, Order

TOPIC = "forward.deliver"
NOTICE = "forward.notify"
RETRYABLE = {408, 429}
# States in which nothing has left the factory, so the forward can still be stopped.
UNSHIPPED = BEFORE_SHIPPING + ("rejected",)
_http = urllib3.PoolManager(retries=False)
# 2 s to connect, 20 s for the whole delivery.
TIMEOUT = urllib3.Timeout(connect=2.0, total=20.0)


def record(session: Session, forward: Forward, state: str, *, actor: str, note: str = "") -> None:
    """Set a forward's state, keep the change in its history and tell the buyer's page."""
    forward.state = state
    forward.events.append(ForwardEvent(state=state, note=note, actor=actor))
    events.order_changed(session, forward.group.order)


def forward_group(session: Session, group: FulfilmentGroup) -> Forward:
    """Create a group's forward and its delivery message, in the caller's transaction.

    A factory without a webhook works from its portal, where the forward shows at once.
    """
    group.status = "forward_queued"
    [message_id] = enqueue(session, TOPIC, {"group": group.id})
    forward = Forward(group=group, factory_id=group.factory_id, message_id=message_id)
    session.add(forward)
    portal_only = not group.factory.webhook_url
    forward.state = "submitted" if portal_only else "queued"
    forward.events.append(ForwardEvent(state=forward.state, actor="centre"))
    return forward


def signing_secrets(factory: Factory, app_secret: str) -> list[str]:
    """Return the secrets that sign a factory's deliveries: the new one, and the old one while a
    rotation lasts."""
    found = [webhooks.unseal(factory.webhook_secret_encrypted, app_secret)]
    until = factory.webhook_previous_until
    if factory.webhook_previous_secret_encrypted and until is not None and until > utcnow():
        found.append(webhooks.unseal(factory.webhook_previous_secret_encrypted, app_secret))
    return found


def replay(db: Database, forward_id: int) -> None:
    """Send a dead forward again, under its own id, on a fresh schedule (staff only)."""
    with db.unit_of_work() as session:
        forward = session.get(Forward, forward_id)
        if forward is None:
            raise NotFound(_l("There is no such forward."), field="forward")
        if session.scalar(select(OutboxMessage.status).where(
                OutboxMessage.message_id == forward.message_id)) != "dead":
            raise DomainError(_l("Only a forward whose delivery gave up can be sent again."),
                              code="invalid_state", status=409)
        retry(session, forward.message_id)
        forward.state = "queued" if forward.state == "sending" else forward.state


def stop(session: Session, forward: Forward, *, actor: str, reason: str) -> None:
    """Take a forward back from its factory before anything ships: cancelled outright, or asked
    of the factory if it holds it already; its delivery stops either way."""
    if forward.state not in UNSHIPPED:
        raise DomainError(_l("The forward is %(state)s; that cannot be done now."),
                          code="invalid_state", status=409,
                          state=FORWARD_STATE_NAMES[forward.state])
    session.execute(update(OutboxMessage)
                    .where(OutboxMessage.message_id == forward.message_id,
                           OutboxMessage.status.in_(("pending", "dead")))
                    .values(status="done", processed_at=utcnow()))
    forward.reason = reason
    held = forward.state in HELD
    record(session, forward, "cancel_requested" if held else "cancelled", actor=actor)
    if held and forward.factory.webhook_url:
        enqueue(session, NOTICE, {"forward": forward.id})


def body(session: Session, forward: Forward) -> bytes:
    """Return the JSON a factory receives for a forward: what to ship, where, by when."""
    group = forward.group
    order = session.get(Order, group.order_id)
    data = {
        "forward": forward.message_id,
        "order": order.number,
        "factory": forward.factory.code,
        "dispatch_promise_hours": group.dispatch_promise_hours,
        "ship_to": {"name": group.recipient_name, "phone": group.recipient_phone,
                    "address": group.address},
        "lines": [{"sku": line.product.sku, "name": line.product.name_zh,
                   "quantity": line.quantity} for line in group.lines],
    }
    return json.dumps({"type": "forward.created", "data": data}, ensure_ascii=False,
                      sort_keys=True).encode()


def _record(db: Database, forward_id: int, status: int | None, started: float,
            error: str | None) -> None:
    with db.unit_of_work() as session:
        session.add(DeliveryAttempt(forward_id=forward_id, status_code=status,
                                    duration_ms=int((time.monotonic() - started) * 1000),
                                    error=error))


def _set_state(db: Database, forward_id: int, before: tuple[str, ...], after: str) -> None:
    """Move a forward on only from an expected state; a late answer changes nothing."""
    with db.unit_of_work() as session:
        moved = session.execute(update(Forward).where(Forward.id == forward_id,
                                                      Forward.state.in_(before))
                                .values(state=after)).rowcount
        if moved and after == "submitted":
            session.add(ForwardEvent(forward_id=forward_id, state=after, actor="centre"))


class EndpointGone(GiveUp):
    """The factory answered 410: it removed its endpoint, which is now turned off."""


def _send(target: webhook_address.Target, payload: bytes, headers: dict):
    """POST to the addresses that were checked, in the resolver's order, the next one only when
    a connection cannot be made; the Host header and TLS still name the URL's host."""
    tls = ({"server_hostname": target.host, "assert_hostname": target.host}
           if target.scheme == "https" else None)
    failed: urllib3.exceptions.HTTPError | None = None
    for address in target.addresses:
        pool = _http.connection_from_host(address, target.port, target.scheme, pool_kwargs=tls)
        try:
            return pool.urlopen("POST", target.path, body=payload, timeout=TIMEOUT,
                                headers={**headers, "host": target.host_header},
                                redirect=False, retries=False)
        except urllib3.exceptions.ConnectTimeoutError as exc:  # also a refused connection
            failed = exc
    raise failed


def _post(db: Database, forward_id: int, factory_id: int, url: str, message_id: str,
          payload: bytes, signing: list[str], *, allow_private: bool) -> None:
    """POST one signed delivery and record the attempt; raise for anything but 2xx. A host
    that is not public (unless allowed) is refused before anything is sent, for good."""
    headers = webhooks.headers(signing, message_id, int(time.time()), payload)
    started = time.monotonic()
    try:
        target = webhook_address.target(url, allow_private=allow_private)
        response = _send(target, payload, headers)
    except webhook_address.Refused as exc:
        _record(db, forward_id, None, started, str(exc))
        raise GiveUp(str(exc)) from None
    except (urllib3.exceptions.HTTPError, OSError, UnicodeError) as exc:
        _record(db, forward_id, None, started, f"{type(exc).__name__}: {exc}"[:500])
        raise RetryLater(f"network error: {exc}") from None
    status = response.status
    _record(db, forward_id, status, started, None if 200 <= status < 300 else
            response.data[:500].decode("utf-8", "replace"))
    if 200 <= status < 300:
        return
    if status == 410:
        with db.unit_of_work() as session:
            session.execute(update(Factory).where(Factory.id == factory_id)
                            .values(webhook_url=None))
        raise EndpointGone("410: the factory removed its endpoint")
    if status in RETRYABLE or status >= 500:
        after = response.headers.get("Retry-After", "")
        raise RetryLater(f"HTTP {status}", after=float(after) if after.isdigit() else None)
    raise GiveUp(f"HTTP {status}")


def deliver(message, app_state: AppState) -> None:
    """Worker: POST a forward to its factory, signed; classify the answer for retries."""
    db = app_state.db
    with db.read_session() as session:
        forward = session.scalar(select(Forward).where(Forward.message_id == message.message_id))
        if forward is None or forward.state not in UNSENT:
            return  # cancelled, or already answered: nothing to send
        factory = forward.factory
        if not factory.webhook_url:
            return  # this factory works from the portal
        url = factory.webhook_url
        payload = body(session, forward)
        signing = signing_secrets(factory, app_state.app.config["SECRET_KEY"])
        forward_id, factory_id = forward.id, factory.id
    _set_state(db, forward_id, ("queued",), "sending")
    try:
        _post(db, forward_id, factory_id, url, message.message_id, payload, signing,
              allow_private=app_state.settings.fulfilment.allow_private_webhooks)
    except EndpointGone:
        _set_state(db, forward_id, ("sending",), "queued")  # the portal shows it now
        raise
    _set_state(db, forward_id, UNSENT, "submitted")


def notify(message, app_state: AppState) -> None:
    """Worker: tell a factory the centre asks it to cancel a forward it holds, signed, under
    the notice's own id."""
    db = app_state.db
    with db.read_session() as session:
        forward = session.get(Forward, message.payload["forward"])
        factory = forward.factory if forward is not None else None
        if factory is None or not factory.webhook_url or forward.state != "cancel_requested":
            return  # confirmed already, or the factory works from its portal
        payload = json.dumps({"type": "forward.cancel_requested", "data": {
            "forward": forward.message_id, "order": forward.group.order.number,
            "reason": forward.reason}}, sort_keys=True).encode()
        signing = signing_secrets(factory, app_state.app.config["SECRET_KEY"])
        args = (forward.id, factory.id, factory.webhook_url)
    _post(db, *args, message.message_id, payload, signing,
          allow_private=app_state.settings.fulfilment.allow_private_webhooks)


def forward_payable_group(group: FulfilmentGroup, *, session: Session) -> None:
    """Receiver of orders' factory_group_payable: forward the group to its factory."""
    forward_group(session, group)


def stop_cancelled_group(group: FulfilmentGroup, *, session: Session, actor: str) -> None:
    """Receiver of orders' group_cancelled: ask the factory to stop a forward not yet shipped."""
    if group.forward is not None and group.forward.state in UNSHIPPED:
        stop(session, group.forward, actor=actor, reason="order_cancelled")
