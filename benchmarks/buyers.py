"""The buyer a benchmark's requests come from: a returning member whose phone was proved on
this device, as most phones on a busy floor are. The member pays on account: one benchmark
buyer stands for a floor of them, and the limits on what one buyer's unpaid orders may hold
(which on-account orders do not have) would stop it after a few orders."""

from __future__ import annotations

from store_api.buyers import buyers, devices
from store_api.buyers.models import Buyer
from store_api.core.state import state
from store_api.orders.buyer_session import DEVICE


def member_client(app, phone: str = "13800000000", *, on_account: bool = True):
    """A test client of the app signed in to a member's account, as after the texted code."""
    settings = state(app).settings
    buyer_id = buyers.identify(state(app).db, phone=phone, name="压测", company="",
                               business_type="shop",
                               business_types=settings.catalogue.business_types,
                               base_level=settings.catalogue.member_levels[0])
    with state(app).db.unit_of_work() as session:
        member = session.get(Buyer, buyer_id)
        member.on_account = on_account
        token = devices.start(session, member, label="benchmark",
                              days=settings.buyers.session_days)
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie.permanent = True
        cookie[DEVICE] = token
    return client
