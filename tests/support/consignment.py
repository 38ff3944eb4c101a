"""Two factories with stock at the centre and at home, a paid order forwarded to each, a token
and a portal login each: the world the factory API, the portal and their isolation tests share."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from sqlalchemy import select

from store_api.buyers.models import Buyer
from store_api.core.audit import Actor
from store_api.core.state import state
from store_api.factories import access as factory_access
from store_api.factories.models import Factory
from store_api.fulfilment.models import Forward
from store_api.orders import orders
from store_api.orders.checkout import Delivery, place_order
from store_api.staff.models import User
from store_api.stock import inventory
from store_api.stock.inventory import StockLine

SHIP = Delivery(recipient_name="张三", recipient_phone="13900000000", ship_address="杭州市西湖区")
PORTAL_PASSWORD = "portal-pass-01"
_orders = itertools.count(1)


@dataclass
class FactorySide:
    """What a test needs of one factory."""

    code: str
    factory_id: int
    sku: str
    product_id: int
    token: str
    username: str
    forwards: list[str] = field(default_factory=list)
    orders: list[str] = field(default_factory=list)

    @property
    def headers(self) -> dict:
        """The API's Authorization header for this factory."""
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Centre:
    app: object
    a: FactorySide
    b: FactorySide
    buyer_id: int
    staff_id: int

    def order(self, side: FactorySide, quantity: int = 12) -> str:
        """Place and pay an order of the side's SKU from factory stock; return the forward id."""
        db = state(self.app).db
        number = place_order(db, buyer_id=self.buyer_id, requested=[(side.sku, quantity)],
                             delivery=SHIP, idempotency_key=f"consign-{next(_orders):06d}",
                             settings=state(self.app).settings)["number"]
        orders.pay(db, number, method="cash", reference="", user_id=self.staff_id)
        with db.read_session() as session:
            forward = session.scalar(select(Forward).order_by(Forward.id.desc()))
        side.forwards.append(forward.message_id)
        side.orders.append(number)
        return forward.message_id


def build(app, make_product) -> Centre:
    """Create the two factories, their stock, users and tokens, and one forward each."""
    db = state(app).db
    sides = []
    with db.unit_of_work() as session:
        buyer = Buyer(phone="13812345678", name="王", business_type="shop",
                      member_level="standard")
        staff = User(username="counter-staff", display_name="柜台", role="staff",
                     password_hash="x")
        session.add_all([buyer, staff])
        for name in ("甲厂保温杯", "乙厂收纳盒"):
            # Only factory stock of the first size: orders are forwarded, never served locally.
            product, centre, home = make_product(session, name_zh=name)
            inventory.receive(session, [StockLine(product.id, home.id, 200)], actor="t")
            factory = session.get(Factory, product.factory_id)
            user = User(username=f"portal-{factory.code.lower()}", display_name=factory.name_zh,
                        role="factory", factory=factory)
            user.set_password(PORTAL_PASSWORD)
            session.add(user)
            sides.append((factory.code, factory.id, product.sku, product.id, user.username))
        session.flush()
        buyer_id, staff_id = buyer.id, staff.id
    actor = Actor(None, "test")
    a, b = (FactorySide(code, fid, sku, pid, factory_access.new_token(db, code, actor=actor),
                        username) for code, fid, sku, pid, username in sides)
    centre = Centre(app, a, b, buyer_id, staff_id)
    centre.order(a)
    centre.order(b)
    return centre


def receive_at_centre(app, side: FactorySide, quantity: int) -> None:
    """Put units of a side's SKU on the centre's shelves."""
    from store_api.stock.locations import centre_location

    with state(app).db.unit_of_work() as session:
        inventory.receive(session, [StockLine(side.product_id, centre_location(session).id,
                                              quantity)], actor="t")
