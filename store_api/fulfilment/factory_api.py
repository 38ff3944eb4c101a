"""The factory side of the API: its forwards, its stock, its sales and statements, and signed
callbacks. A token sees its own factory and nothing else: another factory's ids are not found."""

from __future__ import annotations

import dataclasses
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import after_this_request, g, request
from flask_babel import lazy_gettext as _l

from store_api.api import Operations
from store_api.core import webhooks
from store_api.core.errors import DomainError
from store_api.core.models import utcnow
from store_api.core.state import state
from store_api.factories.access import FactoryCaller, find_factory
from store_api.fulfilment import callbacks, consignment, forwarding, fulfilment, schemas
from store_api.fulfilment.models import FORWARD_STATES
from store_api.web.session import db_session

# This module's operations, added to the API by the bootstrap.
operation = Operations()


def _period(query: schemas.PeriodQuery) -> consignment.Period:
    timezone = state().settings.centre.timezone
    today = utcnow().astimezone(ZoneInfo(timezone)).date()
    return consignment.period(query.start or today.replace(day=1).isoformat(),
                              query.end or today.isoformat(), timezone)


def _forward(message_id: str) -> dict:
    session = db_session()
    forward = fulfilment.factory_forward(session, g.factory.id, message_id[:64])
    return fulfilment.forward_view(forward)


def _outcome(result: fulfilment.Outcome) -> dict:
    return dataclasses.asdict(result)


def _on_forward(action, forward: str, *args) -> dict:
    """Run a fulfilment action on one of the calling factory's forwards, as that factory."""
    return _outcome(action(state().db, g.factory.id, forward[:64], *args, actor=g.factory.actor))


@operation("/factory/forwards", "GET", summary="List the factory's forwards, newest first",
           tag="factory", response=schemas.ForwardListOut, auth="factory",
           query=schemas.ForwardsQuery)
def factory_forwards(query: schemas.ForwardsQuery):
    states = [s.strip() for s in query.state.split(",")] if query.state else None
    if states and not set(states) <= set(FORWARD_STATES):
        raise DomainError(_l("Not one of the allowed values."), code="invalid_input",
                          field="state")
    since = None
    if query.since:
        try:
            since = datetime.fromisoformat(query.since)
        except ValueError:
            raise DomainError(_l("Give the time in ISO 8601."), code="invalid_input",
                              field="since") from None
        if since.tzinfo is None:
            raise DomainError(_l("Give the time in ISO 8601."), code="invalid_input",
                              field="since")
    found = fulfilment.factory_forwards(db_session(), g.factory.id, states=states, since=since)
    return {"forwards": [fulfilment.forward_view(f) for f in found]}


@operation("/factory/forwards/open", "GET",
           summary="Ids of every forward still open, to reconcile against the factory's own",
           tag="factory", response=schemas.OpenForwardsOut, auth="factory")
def factory_open_forwards():
    return {"ids": fulfilment.open_ids(db_session(), g.factory.id)}


@operation("/factory/forwards/<forward>", "GET", summary="One forward", tag="factory",
           response=schemas.ForwardOut, auth="factory")
def factory_forward(forward: str):
    return _forward(forward)


@operation("/factory/forwards/<forward>/accept", "POST", summary="Accept a forward",
           tag="factory", response=schemas.OutcomeOut, auth="factory")
def factory_accept(forward: str):
    return _on_forward(fulfilment.accept, forward)


@operation("/factory/forwards/<forward>/reject", "POST",
           summary="Reject a forward with a reason", tag="factory", body=schemas.RejectIn,
           response=schemas.OutcomeOut, auth="factory")
def factory_reject(forward: str, payload: schemas.RejectIn):
    return _on_forward(fulfilment.reject, forward, payload.reason, payload.note)


@operation("/factory/forwards/<forward>/shipments", "POST",
           summary="Add a parcel with its carrier and tracking number", tag="factory",
           body=schemas.ShipmentIn, response=schemas.OutcomeOut, status=201, auth="factory")
def factory_ship(forward: str, payload: schemas.ShipmentIn):
    lines = ([fulfilment.ParcelLine(line.sku, line.quantity) for line in payload.lines]
             if payload.lines else None)
    return _on_forward(fulfilment.add_shipment, forward, payload.carrier,
                       payload.tracking_number, lines)


@operation("/factory/forwards/<forward>/delivered", "POST",
           summary="Report every parcel of a forward delivered", tag="factory",
           response=schemas.OutcomeOut, auth="factory")
def factory_delivered(forward: str):
    return _on_forward(fulfilment.mark_delivered, forward)


@operation("/factory/forwards/<forward>/cancelled", "POST",
           summary="Confirm a forward the centre asked to cancel is stopped", tag="factory",
           response=schemas.OutcomeOut, auth="factory")
def factory_cancelled(forward: str):
    return _on_forward(fulfilment.confirm_cancelled, forward)


@operation("/factory/stock", "GET",
           summary="Stock by SKU: at the centre (on hand, reserved, sold) and at the factory",
           tag="factory", response=schemas.StockListOut, auth="factory",
           query=schemas.PeriodQuery)
def factory_stock(query: schemas.PeriodQuery):
    within = _period(query)
    rows = consignment.stock(db_session(), g.factory.id, within)
    return {"start": within.first, "end": within.last,
            "rows": [dataclasses.asdict(row) for row in rows]}


def _stock_reply(row: consignment.StockRow) -> dict:
    @after_this_request
    def tag(response):
        response.headers["ETag"] = row.factory_version
        return response

    return {"sku": row.sku, "factory_on_hand": row.factory_on_hand,
            "factory_version": row.factory_version}


@operation("/factory/stock/<sku>", "GET", summary="What the factory holds of one SKU",
           tag="factory", response=schemas.FactoryStockOut, auth="factory")
def factory_stock_item(sku: str):
    return _stock_reply(consignment.stock(db_session(), g.factory.id, sku=sku[:64])[0])


@operation("/factory/stock/<sku>", "PUT",
           summary="Set what the factory holds of a SKU, if unchanged since read (If-Match)",
           tag="factory", body=schemas.FactoryStockIn, response=schemas.FactoryStockOut,
           auth="factory", headers=("If-Match",))
def factory_set_stock(sku: str, payload: schemas.FactoryStockIn):
    consignment.set_factory_stock(state().db, g.factory.id, sku[:64], payload.on_hand,
                                  request.headers.get("If-Match"), actor=g.factory.actor)
    return factory_stock_item(sku)


@operation("/factory/sales", "GET", summary="Each sale of the factory's SKUs in a period",
           tag="factory", response=schemas.SalesOut, auth="factory", query=schemas.PeriodQuery)
def factory_sales(query: schemas.PeriodQuery):
    within = _period(query)
    rows = consignment.sales(db_session(), g.factory.id, within)
    return {"start": within.first, "end": within.last,
            "sales": [{**dataclasses.asdict(row), "amount_fen": row.amount_fen}
                      for row in rows]}


def statement_body(statement: consignment.Statement) -> dict:
    """Return a statement as the API and the CSV show it."""
    return {
        "factory": statement.factory_code, "start": statement.within.first,
        "end": statement.within.last, "total_fen": statement.total_fen,
        "lines": [{**dataclasses.asdict(line), "amount_fen": line.amount_fen}
                  for line in statement.lines],
        "returns": [{**dataclasses.asdict(line), "value_fen": line.value_fen}
                    for line in statement.returns],
    }


@operation("/factory/settlement", "GET",
           summary="What the centre owes for a period: units sold times supply price",
           tag="factory", response=schemas.StatementOut, auth="factory",
           query=schemas.PeriodQuery)
def factory_settlement(query: schemas.PeriodQuery):
    settings = state().settings
    return statement_body(consignment.statement(
        db_session(), g.factory.id, _period(query), settings.consignment.return_offer_percent))


# A signed callback does what the route of the same name does, for the factory that signed it.
_CALLBACKS = {
    "forward.accepted": lambda f, data: fulfilment.accept(
        state().db, f.id, data.get("forward"), actor=f.actor),
    "forward.rejected": lambda f, data: fulfilment.reject(
        state().db, f.id, data.get("forward"), data.get("reason"), data.get("note", ""),
        actor=f.actor),
    "forward.shipped": lambda f, data: fulfilment.add_shipment(
        state().db, f.id, data.get("forward"), data.get("carrier"), data.get("tracking_number"),
        _parcel(data.get("lines")), actor=f.actor),
    "forward.delivered": lambda f, data: fulfilment.mark_delivered(
        state().db, f.id, data.get("forward"), actor=f.actor),
    "forward.cancelled": lambda f, data: fulfilment.confirm_cancelled(
        state().db, f.id, data.get("forward"), actor=f.actor),
}


def _parcel(lines) -> list[fulfilment.ParcelLine] | None:
    if lines is None:
        return None
    if not isinstance(lines, list) or not all(isinstance(line, dict) for line in lines):
        raise DomainError(_l("Must be a list."), code="invalid_input", field="data.lines")
    return [fulfilment.ParcelLine(line.get("sku"), line.get("quantity")) for line in lines]


@operation("/factory/webhooks/<code>", "POST",
           summary="A factory's callback as a Standard Webhooks delivery signed with its secret",
           tag="factory", response=schemas.WebhookOut,
           errors=((401, "Not signed with the factory's secret"),))
def factory_webhook(code: str):
    session = db_session()
    factory = find_factory(session, code)
    headers = request.headers
    secrets = (forwarding.signing_secrets(factory, state().app.config["SECRET_KEY"])
               if factory is not None and factory.webhook_secret_encrypted else [])
    webhook_id = headers.get("webhook-id", "")[:100]
    if not secrets or not webhooks.verify(secrets, webhook_id, headers.get("webhook-timestamp", ""),
                                          request.get_data(), headers.get("webhook-signature", ""),
                                          time.time()):
        raise DomainError(_l("The callback's signature does not verify."),
                          code="bad_signature", status=401)
    if callbacks.taken_before(session, factory.id, webhook_id):
        return {"applied": False}  # a repeat of one already taken
    event = request.get_json(silent=True) or {}
    data = event.get("data") if isinstance(event, dict) else None
    action = _CALLBACKS.get(event.get("type")) if isinstance(event, dict) else None
    if action is None or not isinstance(data, dict):
        raise DomainError(_l("Unknown callback type."), code="unknown_event", field="type")
    outcome = action(FactoryCaller(factory.id, factory.code), data)
    callbacks.remember(state().db, factory.id, webhook_id)
    return {"forward": outcome.forward, "state": outcome.state, "applied": outcome.applied}
