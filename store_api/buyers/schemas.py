"""Shapes of a buyer as the API takes and gives them."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from store_api.api.schemas import Request

Text = Field(default="", max_length=200)


class BuyerIn(Request):
    phone: str = Field(max_length=20)
    name: str = Field(min_length=1, max_length=100)
    company: str = Text
    business_type: str = Field(max_length=20)


class MembershipIn(Request):
    member_level: str = Field(max_length=20)
    on_account: bool = False
    credit_limit: str | None = Field(
        default=None, max_length=20,
        description="Yuan the buyer may owe on account, such as \"20000\"; left out, unchanged.")


class BuyerOut(BaseModel):
    phone: str = Field(description="Masked, as 138****5678.")
    name: str
    company: str
    business_type: str
    member_level: str
    verified: bool = Field(description="True for an account this device proved the phone of; "
                                       "false for guest details typed without proof.")


class CodeIn(Request):
    phone: str = Field(max_length=20)


class CodeSentOut(BaseModel):
    phone: str = Field(description="Masked, as 138****5678.")
    resend_after_s: int


class ProveIn(Request):
    phone: str = Field(max_length=20)
    code: str = Field(max_length=10)


class DetailsIn(Request):
    name: str = Field(min_length=1, max_length=100)
    company: str = Text
    business_type: str = Field(max_length=20)


class DeviceOut(BaseModel):
    id: int
    label: str
    created_at: datetime
    last_seen_at: datetime
    current: bool = Field(description="The device making this request.")


class DevicesOut(BaseModel):
    devices: list[DeviceOut]


class MyOrderOut(BaseModel):
    number: str
    status: str
    total_fen: int
    created_at: datetime


class MyOrdersOut(BaseModel):
    orders: list[MyOrderOut]


class ReorderLineOut(BaseModel):
    sku: str
    quantity: int = Field(description="What went into the cart; 0 when nothing did.")
    unit_price_fen: int | None = Field(description="Today's price at that quantity.")
    before_quantity: int
    before_unit_price_fen: int
    changes: list[str] = Field(description="Any of price, quantity, stock, retired, refused.")


class ReorderOut(BaseModel):
    lines: list[ReorderLineOut]
