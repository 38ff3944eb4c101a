"""Checkout and the order's life on SQLite and PostgreSQL: groups, idempotency, pay, collect."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from store_api.buyers.models import Buyer
from store_api.core.errors import DomainError, InsufficientStock
from store_api.core.models import OutboxMessage, utcnow
from store_api.core.state import state
from store_api.core.worker import Worker
from store_api.factories.models import Factory
from store_api.fulfilment.models import Forward
from store_api.orders import orders
from store_api.orders.checkout import Delivery, distance_km, place_order
from store_api.orders.models import Order, OrderLine, Payment
from store_api.printing.models import PrintJob
from store_api.staff.models import User
from store_api.stock import inventory
from store_api.stock.inventory import StockLine
from store_api.stock.models import StockLedgerEntry, StockLevel

SHIP = Delivery(recipient_name="张三", recipient_phone="13900000000", ship_address="杭州市西湖区")


@pytest.fixture
def shop(app, db, make_product):
    """Two products: one with 10 in the centre and 100 at the factory, one factory-only."""
    with db.unit_of_work() as session:
        cup, centre, factory = make_product(session, moq=2, case_pack=2)
        lamp, _, lamp_factory = make_product(session, name_zh="台灯")
        inventory.receive(session, [StockLine(cup.id, centre.id, 10),
                                    StockLine(cup.id, factory.id, 100),
                                    StockLine(lamp.id, lamp_factory.id, 5)], actor="t")
        buyer = Buyer(phone="13800000000", name="李四", business_type="shop",
                      member_level="standard")
        staff = User(username="counter", display_name="收银", role="staff", password_hash="x")
        session.add_all([buyer, staff])
        session.flush()
        return {"cup": cup.sku, "lamp": lamp.sku, "buyer": buyer.id, "staff": staff.id,
                "cup_id": cup.id, "centre": centre.id, "factory": factory.id}


def order(app, shop, lines, key="key-00000001", delivery=SHIP):
    return place_order(state(app).db, buyer_id=shop["buyer"], requested=lines, delivery=delivery,
                       idempotency_key=key, settings=state(app).settings)["number"]


def levels(db, shop):
    with db.read_session() as session:
        return {loc: (lv.on_hand, lv.reserved) for loc in (shop["centre"], shop["factory"])
                if (lv := session.get(StockLevel, (shop["cup_id"], loc)))}


def test_a_line_larger_than_centre_stock_splits_into_pickup_and_factory_groups(app, db, shop):
    number = order(app, shop, [(shop["cup"], 14), (shop["lamp"], 1)])
    with db.read_session() as session:
        placed = orders.load_order(session, number)
        kinds = [(g.kind, sum(line.quantity for line in g.lines)) for g in placed.groups]
        assert sorted(kinds) == [("factory_shipment", 1), ("factory_shipment", 4), ("pickup", 10)]
        assert placed.total_fen == 14 * 900 + 1000  # 14 reaches the 10-unit tier
        assert placed.status == "awaiting_payment"
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 2
    assert levels(db, shop) == {shop["centre"]: (10, 10), shop["factory"]: (100, 4)}


@pytest.mark.parametrize("on_account", [False, True])
def test_the_answer_is_the_order_as_read_back(app, db, shop, on_account):
    with db.unit_of_work() as session:
        account = session.get(Buyer, shop["buyer"])
        account.on_account, account.credit_limit_fen = on_account, 10_000_000
    answer = place_order(db, buyer_id=shop["buyer"], delivery=SHIP, idempotency_key="key-read-01",
                         requested=[(shop["cup"], 14), (shop["lamp"], 1)],
                         settings=state(app).settings)
    with db.read_session() as session:
        assert answer == orders.order_summary(orders.load_order(session, answer["number"]))
    factory_groups = [g for g in answer["groups"] if g["kind"] == "factory_shipment"]
    assert len(factory_groups) == 2
    if on_account:  # paid later by invoice: nothing expires and the factories start at once
        assert answer["hold_until"] is None
        assert {(g["status"], g["forward"]["state"]) for g in factory_groups} == {
            ("forward_queued", "submitted")}
    else:
        assert answer["hold_until"] is not None
        assert {(g["status"], g["forward"]) for g in factory_groups} == {("pending", None)}


def test_the_same_key_returns_the_same_order_and_another_ask_is_refused(app, db, shop):
    first = order(app, shop, [(shop["cup"], 2)])
    assert order(app, shop, [(shop["cup"], 2)]) == first
    with pytest.raises(DomainError) as refused:
        order(app, shop, [(shop["cup"], 4)])
    assert refused.value.code == "idempotency_conflict"
    with db.read_session() as session:
        assert session.scalar(select(func.count()).select_from(Order)) == 1
    assert levels(db, shop)[shop["centre"]] == (10, 2)


@pytest.mark.parametrize("lines, code, field", [
    ([("cup", 0)], "invalid_quantity", "lines[0].quantity"),
    ([("cup", -2)], "invalid_quantity", "lines[0].quantity"),
    ([("cup", 10**12)], "invalid_quantity", "lines[0].quantity"),
    ([("cup", "abc")], "invalid_quantity", "lines[0].quantity"),
    ([("cup", 1.5)], "invalid_quantity", "lines[0].quantity"),
    ([("cup", 3)], "not_case_multiple", "lines[0].quantity"),
    ([("lamp", 1), ("NOPE", 2)], "unknown_sku", "lines[1].sku"),
    ([("cup", 2), ("cup", 2)], "duplicate_line", "lines[1].sku"),
    ([], "cart_empty", "lines"),
    ([("lamp", 6)], "insufficient_stock", "lines[0].quantity"),
])
def test_bad_lines_are_refused_by_field_and_write_nothing(app, db, shop, lines, code, field):
    requested = [(shop.get(sku, sku), quantity) for sku, quantity in lines]
    with pytest.raises(DomainError) as refused:
        order(app, shop, requested)
    assert (refused.value.code, refused.value.field) == (code, field)
    with db.read_session() as session:
        assert session.scalar(select(func.count()).select_from(Order)) == 0
        assert session.scalar(select(func.count()).select_from(StockLedgerEntry)) == 3


def test_below_moq_is_refused(app, db, make_product):
    with db.unit_of_work() as session:
        product, _, _ = make_product(session, moq=12, case_pack=6, ladder=((12, 1000),))
        sku = product.sku
        buyer = Buyer(phone="13700000000", name="王", business_type="shop",
                      member_level="standard")
        session.add(buyer)
        session.flush()
    with pytest.raises(DomainError) as refused:
        place_order(db, buyer_id=buyer.id, requested=[(sku, 6)], delivery=SHIP,
                    idempotency_key="key-moq-001", settings=state(app).settings)
    assert refused.value.code == "below_moq"


def test_factory_minimum_and_delivery_radius_are_enforced(app, db, shop):
    with db.unit_of_work() as session:
        session.execute(update(Factory).values(mixed_batch_min_fen=50_000))
    with pytest.raises(DomainError) as refused:
        order(app, shop, [(shop["cup"], 2)])
    assert refused.value.code == "mixed_batch_minimum"
    with db.unit_of_work() as session:
        session.execute(update(Factory).values(mixed_batch_min_fen=0))

    far = Delivery(centre="local_delivery", address="上海", latitude=31.23, longitude=121.47)
    with pytest.raises(DomainError) as refused:
        order(app, shop, [(shop["cup"], 2)], delivery=far)
    assert refused.value.code == "outside_delivery_radius"
    near = Delivery(centre="local_delivery", address="义乌福田街道", latitude=29.34,
                    longitude=120.11)
    number = order(app, shop, [(shop["cup"], 2)], delivery=near)
    with db.read_session() as session:
        [group] = orders.load_order(session, number).groups
        assert group.kind == "local_delivery" and group.distance_km < 5


def test_distance_is_great_circle():
    assert distance_km(29.3315, 120.1046, 30.2741, 120.1551) == pytest.approx(104.9, abs=0.5)


def test_pay_pick_collect_sells_centre_stock_and_queues_forward_and_receipt(app, db, shop):
    number = order(app, shop, [(shop["cup"], 14)])
    orders.pay(db, number, method="cash", reference="", user_id=shop["staff"])
    with db.read_session() as session:
        placed = orders.load_order(session, number)
        pickup = next(g for g in placed.groups if g.kind == "pickup")
        shipment = next(g for g in placed.groups if g.kind == "factory_shipment")
        assert (placed.status, shipment.status) == ("paid", "forward_queued")
        assert session.scalar(select(PrintJob.kind)) == "receipt"
        assert session.scalar(select(Payment.amount_fen)) == placed.total_fen
        topics = set(session.scalars(select(OutboxMessage.topic)))
        assert "forward.deliver" in topics
        forward = session.scalar(select(Forward))
        # This factory has no webhook: it works from its portal, where the forward shows at once.
        assert (forward.group_id, forward.state) == (shipment.id, "submitted")
    orders.mark_picked(db, number, pickup.id)
    orders.collect(db, number, pickup.id)
    assert levels(db, shop) == {shop["centre"]: (0, 0), shop["factory"]: (100, 4)}
    with pytest.raises(DomainError) as refused:
        orders.pay(db, number, method="cash", reference="", user_id=shop["staff"])
    assert refused.value.code == "invalid_state"
    with pytest.raises(DomainError):
        orders.cancel(db, number, actor="staff")  # goods have left


def test_on_account_needs_approval(app, db, shop):
    number = order(app, shop, [(shop["cup"], 2)])
    with pytest.raises(DomainError) as refused:
        orders.pay(db, number, method="on_account", reference="", user_id=shop["staff"])
    assert refused.value.code == "on_account_not_allowed"
    with db.unit_of_work() as session:
        account = session.get(Buyer, shop["buyer"])
        account.on_account, account.credit_limit_fen = True, 10_000_000
    orders.pay(db, number, method="on_account", reference="月结", user_id=shop["staff"])


def test_cancel_releases_every_held_unit(app, db, shop):
    number = order(app, shop, [(shop["cup"], 14)])
    orders.cancel(db, number, actor="staff")
    assert levels(db, shop) == {shop["centre"]: (10, 0), shop["factory"]: (100, 0)}
    with db.read_session() as session:
        assert inventory.check_ledger(session) == []


def test_the_worker_expires_unpaid_orders_past_their_hold(app, db, shop):
    kept = order(app, shop, [(shop["cup"], 2)], key="key-kept-0001")
    late = order(app, shop, [(shop["cup"], 12)], key="key-late-0001")
    with db.unit_of_work() as session:
        session.execute(update(Order).where(Order.number == late)
                        .values(hold_until=utcnow() - timedelta(seconds=1)))
    assert Worker(state(app)).run_periodic() == 1
    with db.read_session() as session:
        statuses = dict(session.execute(select(Order.number, Order.status)).all())
        assert statuses == {kept: "awaiting_payment", late: "expired"}
        assert inventory.check_ledger(session) == []
    assert levels(db, shop) == {shop["centre"]: (10, 2), shop["factory"]: (100, 0)}


def test_what_the_centre_lacks_comes_from_the_factory(app, db, shop):
    with db.unit_of_work() as session:
        inventory.reserve(session, [StockLine(shop["cup_id"], shop["centre"], 8)], actor="t")
    order(app, shop, [(shop["cup"], 4)])
    with db.read_session() as session:
        lines = session.scalars(select(OrderLine).order_by(OrderLine.id)).all()
        assert [line.quantity for line in lines] == [2, 2]


def test_insufficient_everywhere_is_refused(app, db, shop):
    with pytest.raises(InsufficientStock):
        order(app, shop, [(shop["cup"], 112)])
