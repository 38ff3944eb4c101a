"""Every table of the store server, by area."""

from store_api.models.base import Base
from store_api.models.buyers import Buyer, Cart, CartLine
from store_api.models.catalogue import Factory, PriceTier, Product, ProductImage, ShelfSlot, Zone
from store_api.models.displays import Screen, ZonePin
from store_api.models.forwards import (
    DeliveryAttempt,
    Forward,
    ForwardEvent,
    InboundWebhook,
    Shipment,
    ShipmentLine,
)
from store_api.models.messaging import OutboxMessage, PrintedLabel, PrintJob, ScanEvent
from store_api.models.orders import FulfilmentGroup, Order, OrderLine, Payment
from store_api.models.staff import AuditLogEntry, User
from store_api.models.stock import StockLedgerEntry, StockLevel, StockLocation

__all__ = [
    "AuditLogEntry",
    "Base",
    "Buyer",
    "Cart",
    "DeliveryAttempt",
    "CartLine",
    "Factory",
    "Forward",
    "ForwardEvent",
    "FulfilmentGroup",
    "InboundWebhook",
    "Order",
    "OrderLine",
    "OutboxMessage",
    "Payment",
    "PrintedLabel",
    "PriceTier",
    "PrintJob",
    "Product",
    "ProductImage",
    "ScanEvent",
    "Screen",
    "ShelfSlot",
    "Shipment",
    "ShipmentLine",
    "StockLedgerEntry",
    "StockLevel",
    "StockLocation",
    "User",
    "Zone",
    "ZonePin",
]
