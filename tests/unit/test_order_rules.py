"""Pure rules of orders and the outbox, without a database: how an order splits over the
centre and the factories, what unpaid orders may hold, and when a failed side effect is tried
again."""

from __future__ import annotations

import pytest

from store_api.catalogue.models import Product
from store_api.core import worker
from store_api.core.errors import InsufficientStock
from store_api.core.worker import GiveUp, RetryLater, retry_delay
from store_api.factories.models import Factory
from store_api.orders.carts import LineView
from store_api.orders.checkout import split
from store_api.orders.holds import Held, Limits, refusal

CENTRE, FACTORY_HOME = 1, 2


def _line(quantity: int, product_id: int = 10) -> LineView:
    factory = Factory(id=7, code="F7")
    product = Product(id=product_id, sku=f"SKU-{product_id}", factory=factory, factory_id=7)
    return LineView(product, quantity, None)


def _split(line_quantities, centre_free, factory_free, first="centre"):
    lines = [_line(q, 10 + n) for n, q in enumerate(line_quantities)]
    available = {}
    for line in lines:
        available[(line.product.id, CENTRE)] = centre_free
        available[(line.product.id, FACTORY_HOME)] = factory_free
    groups = split(lines, available, CENTRE, {7: FACTORY_HOME}, first)
    return [(g.kind, g.location_id, [q for _, q in g.lines]) for g in groups]


def test_the_centre_serves_first_and_its_factory_the_rest():
    assert _split([12], centre_free=20, factory_free=100) == [("centre", CENTRE, [12])]
    assert _split([12], centre_free=5, factory_free=100) == [
        ("centre", CENTRE, [5]), ("factory_shipment", FACTORY_HOME, [7])]


def test_a_centre_set_to_factory_first_sends_what_the_factory_has():
    assert _split([12], centre_free=20, factory_free=8, first="factory") == [
        ("centre", CENTRE, [4]), ("factory_shipment", FACTORY_HOME, [8])]


def test_lines_share_a_group_per_source_and_oversold_counts_as_none():
    assert _split([3, 4], centre_free=-2, factory_free=50) == [
        ("factory_shipment", FACTORY_HOME, [3, 4])]


def test_a_line_no_source_can_fill_is_refused_naming_it():
    with pytest.raises(InsufficientStock) as refused:
        _split([1, 30], centre_free=10, factory_free=10)
    assert refused.value.field == "lines[1].quantity"


@pytest.fixture
def no_jitter(monkeypatch):
    monkeypatch.setattr(worker.random, "uniform", lambda low, high: 0.0)


def test_a_topic_schedule_sets_each_wait_until_it_is_spent(no_jitter):
    failure = RuntimeError("503")
    waits = [retry_delay(n, failure, (5, 300, 1800), 99) for n in range(1, 5)]
    assert waits == [5, 300, 1800, None]


def test_without_a_schedule_the_retry_steps_repeat_their_last_until_max_attempts(no_jitter):
    failure = OSError("printer off")
    waits = [retry_delay(n, failure, None, 7) for n in range(1, 8)]
    assert waits == [*worker.RETRY_STEPS, worker.RETRY_STEPS[-1], None]


def test_giving_up_is_final_and_a_retry_after_is_kept():
    assert retry_delay(1, GiveUp("410 gone"), (5, 300), 99) is None
    assert retry_delay(1, RetryLater("busy", after=120), (5, 300), 99) == 120


def test_jitter_spreads_a_step_by_a_tenth_either_way():
    waits = {retry_delay(2, RuntimeError(), (5, 300), 99) for _ in range(200)}
    assert all(270 <= wait <= 330 for wait in waits) and len(waits) > 100



GUEST = Limits(orders=2, value_fen=200_000, product_percent=20, guest=True)
MEMBER = Limits(orders=5, value_fen=5_000_000, product_percent=60, guest=False)
NOTHING = Held(orders=0, value_fen=0, units={})


def _refused(limits, held, quantity, total_fen, stock=100, smallest=1):
    problem = refusal(limits, held, [("CUP-1", 10, quantity, smallest)], total_fen, {10: stock})
    return problem and (problem.code, problem.field, str(problem))


def test_a_guest_may_hold_a_fifth_of_a_products_stock():
    assert _refused(GUEST, NOTHING, 20, 2000) is None
    code, field, message = _refused(GUEST, NOTHING, 21, 2100)
    assert (code, field) == ("hold_product_limit", "lines[0].quantity")
    assert "20" in message and "CUP-1" in message and "Sign in" in message
    # What the guest already holds counts: 15 held, 6 more is 21.
    assert _refused(GUEST, Held(1, 1500, {10: 15}), 6, 600)[0] == "hold_product_limit"
    assert _refused(MEMBER, Held(1, 1500, {10: 15}), 45, 4500) is None


def test_the_share_of_stock_never_stops_a_products_smallest_order():
    assert _refused(MEMBER, NOTHING, 1, 100, stock=1) is None  # the last unit can be ordered
    assert _refused(GUEST, NOTHING, 12, 1200, stock=15, smallest=12) is None
    assert _refused(GUEST, NOTHING, 24, 2400, stock=15, smallest=12)[0] == "hold_product_limit"


def test_open_orders_and_their_value_are_limited():
    assert _refused(GUEST, Held(2, 100, {}), 1, 100)[0] == "hold_orders_limit"
    assert _refused(MEMBER, Held(2, 100, {}), 1, 100) is None
    code, _, message = _refused(GUEST, Held(1, 150_000, {}), 1, 60_000)
    assert code == "hold_value_limit" and "￥2,000.00" in message and "￥2,100.00" in message
    assert "Sign in" not in _refused(MEMBER, Held(5, 0, {}), 1, 1)[2]


def test_limits_come_from_the_holds_settings():
    from store_api.core.settings import load_settings

    holds = load_settings().holds
    assert Limits.of(holds, guest=True) == Limits(2, 200_000, 20, True)
    assert Limits.of(holds, guest=False).orders > Limits.of(holds, guest=True).orders
