"""Shapes of the JSON API's requests and responses; the OpenAPI document is built from them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt

Text = Field(default="", max_length=200)


class Request(BaseModel):
    # Unknown fields, such as a price the phone sends, are ignored: prices come from the server.
    model_config = ConfigDict(extra="ignore")


class LineIn(Request):
    sku: str = Field(min_length=1, max_length=40)
    quantity: StrictInt


class QuantityIn(Request):
    quantity: StrictInt


class BuyerIn(Request):
    phone: str = Field(max_length=20)
    name: str = Field(min_length=1, max_length=100)
    company: str = Text
    business_type: str = Field(max_length=20)


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


class MembershipIn(Request):
    member_level: str = Field(max_length=20)
    on_account: bool = False


class SignInIn(Request):
    username: str = Field(max_length=60)
    password: str = Field(max_length=200)


class ErrorBody(BaseModel):
    code: str
    message: str
    field: str | None = None


class ErrorOut(BaseModel):
    error: ErrorBody


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


class BuyerOut(BaseModel):
    phone: str = Field(description="Masked, as 138****5678.")
    name: str
    company: str
    business_type: str
    member_level: str


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


class SignedInOut(BaseModel):
    username: str
    role: str


class OkOut(BaseModel):
    ok: bool = True


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


class StockRowOut(BaseModel):
    sku: str
    name_zh: str
    name_en: str
    supply_price_fen: int
    centre_on_hand: int
    centre_reserved: int
    factory_on_hand: int
    factory_reserved: int
    factory_version: str = Field(description="Send it back as If-Match to set factory stock.")
    sold_week: int
    sold_month: int
    sold_period: int | None


class StockListOut(BaseModel):
    start: date
    end: date
    rows: list[StockRowOut]


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
