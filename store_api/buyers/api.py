"""The staff side of the buyers' API: setting a buyer's member level."""

from __future__ import annotations

from store_api.api import Operations
from store_api.api.schemas import OkOut
from store_api.buyers import buyers, schemas
from store_api.core.state import state

# This module's operations, added to the API by the bootstrap.
operation = Operations()


@operation("/buyers/<phone>/membership", "PUT", summary="Set a buyer's member level",
           tag="staff", body=schemas.MembershipIn, response=OkOut, auth="staff")
def set_membership(phone: str, payload: schemas.MembershipIn):
    buyers.set_membership(state().db, phone, member_level=payload.member_level,
                          on_account=payload.on_account,
                          member_levels=state().settings.catalogue.member_levels)
    return {"ok": True}
