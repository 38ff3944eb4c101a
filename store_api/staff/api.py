"""Signing staff in and out over the API."""

from __future__ import annotations

from flask_login import login_user

from store_api.api import Operations
from store_api.api.schemas import OkOut
from store_api.core.errors import DomainError
from store_api.staff import auth, schemas

# This module's operations, added to the API by the bootstrap.
operation = Operations()


@operation("/session", "POST", summary="Sign in as staff (sets the session cookie)",
           tag="staff", body=schemas.SignInIn, response=schemas.SignedInOut,
           errors=((401, "Wrong username or password"),))
def sign_in(payload: schemas.SignInIn):
    user = auth.authenticate(payload.username, payload.password)
    if user is None:
        raise DomainError(auth.refused_message(), code="bad_credentials", status=401)
    login_user(user)
    return {"username": user.username, "role": user.role}


@operation("/session", "DELETE", summary="Sign out", tag="staff", response=OkOut)
def sign_out():
    auth.sign_out()
    return {"ok": True}
