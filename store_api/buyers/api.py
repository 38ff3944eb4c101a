"""The staff side of the buyers' API: a buyer's member level, account approval and credit
limit."""

from __future__ import annotations

from flask_login import current_user

from store_api.api import Operations
from store_api.api.schemas import OkOut
from store_api.buyers import buyers, schemas
from store_api.core.state import state

# This module's operations, added to the API by the bootstrap.
operation = Operations()


@operation("/buyers/<phone>/membership", "PUT",
           summary="Set a buyer's member level, account approval and credit limit (managers)",
           tag="staff", body=schemas.MembershipIn, response=OkOut, auth="manager")
def set_membership(phone: str, payload: schemas.MembershipIn):
    limit = payload.credit_limit
    buyers.set_membership(
        state().db, phone, member_level=payload.member_level, on_account=payload.on_account,
        credit_limit_fen=None if limit is None else buyers.amount_fen(limit, "credit_limit",
                                                                      zero=True),
        member_levels=state().settings.catalogue.member_levels, actor=current_user.audit_actor)
    return {"ok": True}
