"""Shapes of the staff sign-in operations."""

from __future__ import annotations

from pydantic import BaseModel, Field

from store_api.api.schemas import Request


class SignInIn(Request):
    username: str = Field(max_length=60)
    password: str = Field(max_length=200)


class SignedInOut(BaseModel):
    username: str
    role: str
