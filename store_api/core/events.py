"""Events for live pages, written to the outbox with the change and published by the worker."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from store_api.core.state import AppState
from store_api.core.worker import enqueue

if TYPE_CHECKING:
    from store_api.catalogue.models import Product
    from store_api.orders.models import Order

TOPIC = "broker.publish"


def order_channel(number: str) -> str:
    """Return the channel an order's page listens on."""
    return f"order:{number}"


def display_channel(zone: str) -> str:
    """Return the channel a zone's screens listen on for changes of their pins."""
    return f"display:{zone}"


def order_changed(session: Session, order: Order, products: list[Product] | None = None) -> None:
    """Tell the order's page, and the floor, that an order changed."""
    messages = [{"channel": order_channel(order.number),
                 "message": {"number": order.number, "status": order.status}}]
    if products is not None:
        messages.append({"channel": "orders", "message": {
            "number": order.number, "products": [p.id for p in products]}})
    enqueue(session, TOPIC, *messages)


def publish(message, app_state: AppState) -> None:
    """Carry an event from the outbox to the broker."""
    app_state.broker.publish(message.payload["channel"], message.payload["message"])
