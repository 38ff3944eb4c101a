"""Shapes of the buyer's and the counter's operations: slots, carts, orders, payments."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, StrictInt

from store_api.api.schemas import Request


class LineIn(Request):
    sku: str = Field(min_length=1, max_length=40)
    quantity: StrictInt


class QuantityIn(Request):
    quantity: StrictInt


class DeliveryIn(Request):
    centre: Literal["pickup", "local_delivery"] = "pickup"
    address: str = Field(default="", max_length=300)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    recipient_name: str = Field(default="", max_length=100)
    recipient_phone: str = Field(default="", max_length=20)
    ship_address: str = Field(default="", max_length=300)


class OrderIn(Request):
    lines: list[LineIn] | None = Field(default=None, max_length=100,
                                       description="Defaults to the session's cart.")
    delivery: DeliveryIn = DeliveryIn()


class PaymentIn(Request):
    method: Literal["cash", "card", "bank_transfer", "on_account"]
    reference: str = Field(default="", max_length=100)


class CollectIn(Request):
    group: StrictInt | None = None


class Factory(BaseModel):
    code: str
    name_zh: str
    name_en: str
    industrial_belt_zh: str
    industrial_belt_en: str


class Zone(BaseModel):
    code: str
    name_zh: str
    name_en: str
    colour: str


class LadderRow(BaseModel):
    min_quantity: int
    prices: dict[str, int] = Field(description="Unit price in fen per member level.")


class StockSource(BaseModel):
    source: Literal["centre", "factory"]
    available: int
    dispatch_promise_hours: int | None


class CrossBorder(BaseModel):
    foldable: bool
    packed_cm: list[float] | None
    unpacked_cm: list[float] | None
    packed_litres: float | None
    volumetric_weight_kg: float | None
    unfolded_volumetric_weight_kg: float | None
    weight_g: int | None


class Streamer(BaseModel):
    sample_available: bool
    dropship_allowed: bool
    suggested_retail_fen: int | None
    margin_percent: float | None


class SlotOut(BaseModel):
    code: str
    zone: Zone
    sku: str
    name_zh: str
    name_en: str
    factory: Factory
    images: list[str]
    moq: int
    case_pack: int
    member_level: str
    ladder: list[LadderRow]
    quantity: int = Field(description="The quantity priced: what the cart holds, else the MOQ.")
    unit_price_fen: int
    stock: list[StockSource]
    cross_border: CrossBorder
    streamer: Streamer


class CartLineOut(BaseModel):
    sku: str
    name_zh: str
    name_en: str
    quantity: int
    moq: int
    case_pack: int
    unit_price_fen: int
    total_fen: int


class ShortfallOut(BaseModel):
    factory: str
    minimum_fen: int
    missing_fen: int


class CartOut(BaseModel):
    lines: list[CartLineOut]
    total_fen: int
    shortfalls: list[ShortfallOut]
    expired: bool


class OrderLineOut(BaseModel):
    sku: str
    name_zh: str
    name_en: str
    quantity: int
    unit_price_fen: int


class ShipmentOut(BaseModel):
    carrier: str
    tracking_number: str


class ForwardStateOut(BaseModel):
    state: str
    reason: str | None
    shipments: list[ShipmentOut]


class GroupOut(BaseModel):
    id: int
    kind: Literal["pickup", "local_delivery", "factory_shipment"]
    status: str
    subtotal_fen: int
    factory: str | None
    dispatch_promise_hours: int | None
    lines: list[OrderLineOut]
    forward: ForwardStateOut | None = Field(
        description="For a group a factory ships: where its forward stands, and its parcels.")


class OrderOut(BaseModel):
    number: str
    status: Literal["awaiting_payment", "paid", "completed", "cancelled", "expired"]
    total_fen: int
    hold_until: str | None
    groups: list[GroupOut]
