"""Shapes of the factory API and the staff's forward operations: forwards, parcels, stock,
sales and statements."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field, StrictInt

from store_api.api.schemas import Request
from store_api.fulfilment.consignment import StockRow


class RejectIn(Request):
    reason: Literal["out_of_stock", "bad_address", "other"]
    note: str = Field(default="", max_length=500)


class ParcelLineIn(Request):
    sku: str = Field(min_length=1, max_length=40)
    quantity: StrictInt


class ShipmentIn(Request):
    carrier: str = Field(min_length=1, max_length=60)
    tracking_number: str = Field(min_length=1, max_length=60)
    lines: list[ParcelLineIn] | None = Field(
        default=None, max_length=100,
        description="What the parcel holds; left out, everything not shipped yet.")


class FactoryStockIn(Request):
    on_hand: StrictInt = Field(ge=0, description="Units the factory holds of this SKU now.")


class ForwardsQuery(Request):
    state: str | None = Field(default=None, max_length=200,
                              description="States to list, separated by commas.")
    since: str | None = Field(default=None, max_length=40,
                              description="Only forwards changed at or after this ISO time.")


class PeriodQuery(Request):
    start: str | None = Field(default=None, alias="from", max_length=10,
                              description="First day, YYYY-MM-DD; default the month's first.")
    end: str | None = Field(default=None, alias="to", max_length=10,
                            description="Last day, YYYY-MM-DD; default today.")


class WebhookOut(BaseModel):
    ok: bool = True
    forward: str | None = None
    state: str | None = None
    applied: bool = Field(description="False when the callback repeated one already taken.")


class OutcomeOut(BaseModel):
    forward: str
    state: str
    applied: bool = Field(description="False when the callback repeated or came after a later "
                                      "one; it changed nothing.")


class ShipTo(BaseModel):
    name: str
    phone: str
    address: str


class ForwardLineOut(BaseModel):
    sku: str
    name_zh: str
    name_en: str
    quantity: int
    shipped: int


class ParcelLineOut(BaseModel):
    sku: str
    quantity: int


class ShipmentDetailOut(BaseModel):
    carrier: str
    tracking_number: str
    created_at: datetime
    lines: list[ParcelLineOut]


class ForwardOut(BaseModel):
    id: str = Field(description="The webhook-id the forward was delivered under.")
    order: str
    state: str
    reason: str | None
    created_at: datetime
    dispatch_by: datetime
    ship_to: ShipTo
    lines: list[ForwardLineOut]
    shipments: list[ShipmentDetailOut]


class ForwardListOut(BaseModel):
    forwards: list[ForwardOut]


class OpenForwardsOut(BaseModel):
    ids: list[str]


class StockListOut(BaseModel):
    start: date
    end: date
    rows: list[StockRow] = Field(description="Each SKU's units and sales; send a row's "
                                 "factory_version back as If-Match to set factory stock.")


class FactoryStockOut(BaseModel):
    sku: str
    factory_on_hand: int
    factory_version: str


class SaleOut(BaseModel):
    at: datetime
    sku: str
    quantity: int = Field(description="Negative for units a buyer brought back.")
    source: Literal["centre", "factory"]
    order: str | None
    supply_price_fen: int
    amount_fen: int


class SalesOut(BaseModel):
    start: date
    end: date
    sales: list[SaleOut]


class StatementLineOut(BaseModel):
    sku: str
    name_zh: str
    units: int
    supply_price_fen: int
    amount_fen: int


class ReturnLineOut(BaseModel):
    sku: str
    name_zh: str
    units: int
    offer_unit_fen: int
    value_fen: int


class StatementOut(BaseModel):
    factory: str
    start: date
    end: date
    lines: list[StatementLineOut]
    returns: list[ReturnLineOut]
    total_fen: int
