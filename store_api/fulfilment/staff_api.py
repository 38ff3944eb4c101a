"""The staff side of the forwards API: replay, reroute and cancel."""

from __future__ import annotations

from flask_login import current_user

from store_api.api import Operations
from store_api.api.schemas import OkOut
from store_api.core.state import state
from store_api.fulfilment import forwarding, fulfilment

# This module's operations, added to the API by the bootstrap.
operation = Operations()


@operation("/forwards/<int:forward>/replay", "POST",
           summary="Send a forward whose delivery gave up again", tag="staff",
           response=OkOut, auth="staff")
def replay_forward(forward: int):
    forwarding.replay(state().db, forward)
    return {"ok": True}


@operation("/forwards/<int:forward>/reroute", "POST",
           summary="Serve a rejected or undelivered forward from the centre's stock instead",
           tag="staff", response=OkOut, auth="staff")
def reroute_forward(forward: int):
    fulfilment.reroute(state().db, forward, actor=f"staff:{current_user.username}")
    return {"ok": True}


@operation("/forwards/<int:forward>/cancel", "POST",
           summary="Cancel a forward's group; its stock goes back on sale", tag="staff",
           response=OkOut, auth="staff")
def cancel_forward(forward: int):
    fulfilment.cancel_forward(state().db, forward, actor=f"staff:{current_user.username}")
    return {"ok": True}
