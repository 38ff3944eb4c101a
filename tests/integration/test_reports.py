"""Each report's numbers against the same numbers worked out here from the raw rows, on a
centre with known orders (one cancelled, one unpaid, one on an earlier day), scans and carts."""

import csv
import io
import re
from collections import Counter, defaultdict
from datetime import timedelta

import pytest
from sqlalchemy import insert, select, update

from shelf_labels.money import yuan
from store_api.buyers.models import Buyer
from store_api.catalogue.models import Product, ShelfSlot, Zone
from store_api.core.models import ScanEvent, utcnow
from store_api.core.state import state
from store_api.factories.models import Factory
from store_api.orders import orders
from store_api.orders.checkout import Delivery, place_order
from store_api.orders.models import Cart, CartLine, FulfilmentGroup, Order, OrderLine
from store_api.reports import reports
from store_api.staff.models import User
from store_api.stock import inventory
from store_api.stock.inventory import StockLine
from store_api.stock.models import StockLedgerEntry
from tests.support.clients import sign_in, staff_client

PICKUP = Delivery()
TZ = "Asia/Shanghai"
FORMULAS = ['=HYPERLINK("http://x","y")', "+1", "-1+1", "@SUM(A1)"]
REPORT_NAMES = ("sales", "conversion", "slow-movers", "velocity", "buyers", "business-types")


@pytest.fixture
def centre(app, db, make_product):
    """Three products in two zones, three buyers, five orders and a dozen scans."""
    with db.unit_of_work() as session:
        cup, centre, _ = make_product(session, zone="bestseller")
        lamp, _, _ = make_product(session, zone="cross-border", name_zh="台灯")
        idle, _, _ = make_product(session, zone="cross-border", name_zh="闲置")
        cup.category, lamp.category, idle.category = "kitchen", "lighting", "storage"
        inventory.receive(session, [StockLine(p.id, centre.id, 500) for p in (cup, lamp, idle)],
                          actor="t")
        buyers = [Buyer(phone=f"1380000000{n}", name=f"买家{n}", business_type=kind,
                        member_level=level)
                  for n, (kind, level) in enumerate([("shop", "standard"), ("streamer", "gold"),
                                                      ("streamer", "standard")])]
        staff = User(username="cashier", display_name="收银", role="staff", password_hash="x")
        session.add_all([*buyers, staff])
        session.flush()
        ids = {"cup": cup.sku, "lamp": lamp.sku, "idle": idle.sku, "staff": staff.id,
               "buyers": [b.id for b in buyers],
               "slots": {p.sku: p.slot.id for p in (cup, lamp, idle)},
               "products": {p.sku: p.id for p in (cup, lamp, idle)},
               "codes": {p.sku: p.slot.code for p in (cup, lamp, idle)},
               "zones": {p.sku: p.slot.zone_id for p in (cup, lamp, idle)}}

    def buy(buyer: int, lines, key: str, *, paid=True, scanner=None) -> str:
        placed = place_order(db, buyer_id=ids["buyers"][buyer], requested=lines,
                             delivery=PICKUP, idempotency_key=key, settings=state(app).settings,
                             scanner_id=scanner)
        number = placed["number"]
        if paid:
            orders.pay(db, number, method="cash", reference="", user_id=ids["staff"])
        return number

    # Phones s1, s2 and s3 order; the counter's orders come from no phone.
    buy(0, [(ids["cup"], 12), (ids["lamp"], 2)], "order-0001", scanner="s1")
    buy(1, [(ids["cup"], 3)], "order-0002")
    buy(2, [(ids["lamp"], 5)], "order-0003", scanner="s3")
    orders.cancel(db, buy(1, [(ids["lamp"], 40)], "order-0004"), actor="t")
    buy(0, [(ids["cup"], 7)], "order-0005", paid=False, scanner="s2")
    earlier = buy(1, [(ids["cup"], 4)], "order-0006")
    with db.unit_of_work() as session:
        session.execute(update(Order).where(Order.number == earlier)
                        .values(created_at=utcnow() - timedelta(days=2)))
        now = utcnow()
        scans = [("cup", "s1"), ("cup", "s1"), ("cup", "s2"), ("lamp", "s3"),
                 ("idle", "s1"), ("idle", "s4"), ("idle", "s4"), ("idle", "s5")]
        session.execute(insert(ScanEvent), [
            {"slot_id": ids["slots"][ids[name]], "zone_id": ids["zones"][ids[name]],
             "product_id": ids["products"][ids[name]], "session_id": visitor,
             "buyer_id": None, "created_at": now - timedelta(hours=1)}  # before the orders
            for name, visitor in scans])
        cart = Cart(token="t" * 40)
        session.add(cart)
        session.flush()
        idle_id = session.scalar(select(Product.id).where(Product.sku == ids["idle"]))
        session.add(CartLine(cart_id=cart.id, product_id=idle_id, quantity=12))
    return ids


def _raw(session):
    """Every row the reports read, fetched table by table with no joins."""
    return {
        "orders": {o.id: o for o in session.scalars(select(Order))},
        "lines": list(session.scalars(select(OrderLine))),
        "groups": {g.id: g for g in session.scalars(select(FulfilmentGroup))},
        "products": {p.id: p for p in session.scalars(select(Product))},
        "slots": {s.product_id: s for s in session.scalars(select(ShelfSlot))},
        "zones": {z.id: z for z in session.scalars(select(Zone))},
        "factories": {f.id: f for f in session.scalars(select(Factory))},
        "buyers": {b.id: b for b in session.scalars(select(Buyer))},
        "scans": list(session.scalars(select(ScanEvent))),
    }


def _sold(raw, period):
    for line in raw["lines"]:
        order = raw["orders"][line.order_id]
        if (order.status in ("paid", "completed")
                and raw["groups"][line.group_id].status != "cancelled"
                and period.start <= order.created_at < period.end):
            yield order, line


def test_sales_by_zone_factory_and_day_match_the_order_lines(app, db, centre):
    period = reports.last_days(30, TZ)
    with db.read_session() as session:
        raw = _raw(session)
        found = reports.sales(session, period)
    expected = {"zone": Counter(), "factory": Counter(), "day": Counter()}
    for order, line in _sold(raw, period):
        product = raw["products"][line.product_id]
        amount = line.quantity * line.unit_price_fen
        expected["zone"][raw["zones"][raw["slots"][product.id].zone_id].code] += amount
        expected["factory"][raw["factories"][product.factory_id].code] += amount
        expected["day"][reports.day_of(period, order.created_at).isoformat()] += amount
    for key in ("zone", "factory"):
        assert {t.key: t.amount_fen for t in found[key]} == dict(expected[key])
    assert {t.key: t.amount_fen for t in found["day"] if t.amount_fen} == dict(expected["day"])
    assert len(found["day"]) == 30
    # Known by construction: the cancelled and the unpaid orders are not sales.
    assert sum(t.units for t in found["zone"]) == 12 + 2 + 3 + 5 + 4
    assert len(expected["day"]) == 2


def test_conversion_counts_scans_visitors_carts_and_orders_per_slot_and_zone(app, db, centre):
    period = reports.last_days(30, TZ)
    with db.read_session() as session:
        raw = _raw(session)
        found = reports.conversion(session, period)
        open_cart = dict(session.execute(select(CartLine.product_id, CartLine.cart_id)).all())
    by_sku = {f.key: f for f in found["slot"]}
    for sku in (centre["cup"], centre["lamp"], centre["idle"]):
        product = next(p for p in raw["products"].values() if p.sku == sku)
        slot = raw["slots"][product.id]
        scans = [s for s in raw["scans"] if s.slot_id == slot.id]
        placed = {line.order_id for line in raw["lines"] if line.product_id == product.id}
        funnel = by_sku[sku]
        assert funnel.scans == len(scans)
        assert funnel.visitors == len({s.session_id for s in scans})
        assert funnel.ordered == len(placed)
        assert funnel.carted == len(placed) + (1 if product.id in open_cart else 0)
        phones = {raw["orders"][order].scanner_id for order in placed}
        assert funnel.converted == len({s.session_id for s in scans} & phones)
    zones = {f.key: f for f in found["zone"]}
    for zone in raw["zones"].values():
        scans = [s for s in raw["scans"] if s.zone_id == zone.id]
        assert zones[zone.code].scans == len(scans)
        assert zones[zone.code].visitors == len({s.session_id for s in scans})
        ordered_scanned = {(raw["orders"][line.order_id].scanner_id, line.product_id)
                           for line in raw["lines"]}
        assert zones[zone.code].converted == len(
            {s.session_id for s in scans if (s.session_id, s.product_id) in ordered_scanned})
    # Scanned by three visitors, in a cart, never ordered: the leader.
    assert [f.key for f in found["leaders"]] == [centre["idle"]]


def test_conversion_never_passes_100_percent_when_orders_come_from_phones_that_did_not_scan(
        app, db, centre):
    with db.read_session() as session:
        found = reports.conversion(session, reports.last_days(30, TZ))
    by_sku = {f.key: f for f in found["slot"]}
    cup, lamp = by_sku[centre["cup"]], by_sku[centre["lamp"]]
    # The cup: four orders (two from the counter) against two scanning phones, which both
    # ordered it. The lamp: three orders, but of its one scanning phone only s3 ordered it;
    # s1 ordered a lamp it never scanned.
    assert (cup.ordered, cup.visitors, cup.converted, cup.conversion_percent) == (4, 2, 2, 100.0)
    assert (lamp.ordered, lamp.visitors, lamp.converted, lamp.conversion_percent) == (
        3, 1, 1, 100.0)
    zones = {f.key: f for f in found["zone"]}
    assert (zones["cross-border"].visitors, zones["cross-border"].converted) == (4, 1)
    assert all(f.conversion_percent is None or 0 <= f.conversion_percent <= 100
               for f in [*found["slot"], *found["zone"]])


def test_an_order_from_the_phone_that_scanned_counts_for_that_phone(app, db, centre):
    def cup():
        state(app).scans.flush()
        with db.read_session() as session:
            found = reports.conversion(session, reports.last_days(30, TZ))
        return next(f for f in found["slot"] if f.key == centre["cup"])

    before = cup()
    phone = app.test_client()
    assert phone.get(f"/s/{centre['codes'][centre['cup']]}").status_code == 200
    assert (cup().visitors, cup().converted) == (before.visitors + 1, before.converted)
    assert phone.post("/api/v1/buyer", json={"phone": "13700001111", "name": "扫码客",
                                             "business_type": "shop"}).status_code == 200
    placed = phone.post("/api/v1/orders", headers={"Idempotency-Key": "phone-order-1"},
                        json={"lines": [{"sku": centre["cup"], "quantity": 12}],
                              "delivery": {"centre": "pickup"}})
    assert placed.status_code == 201, placed.json
    after = cup()
    assert (after.ordered, after.converted) == (before.ordered + 1, before.converted + 1)


def _unsold(session, since) -> dict[str, int]:
    """Centre stock that arrived by `since` and has not sold after it, from the ledger."""
    rows = list(session.scalars(select(StockLedgerEntry)))
    centre_ids = {row.location_id for row in rows if row.reason == "receive"} - {
        row.location_id for row in rows if row.reason == "factory_count"}
    found = {}
    for product in session.scalars(select(Product)):
        mine = [r for r in rows if r.product_id == product.id]
        here = [r for r in mine if r.location_id in centre_ids]
        available = sum(r.delta_on_hand - r.delta_reserved for r in here)
        arrived = min((r.created_at for r in here if r.delta_on_hand > 0), default=None)
        sold_after = any(r.reason == "sell" and r.created_at > since for r in mine)
        if available > 0 and arrived is not None and arrived <= since and not sold_after:
            found[product.sku] = available
    return found


def test_slow_movers_are_what_the_ledger_says_has_not_sold(app, db, centre, monkeypatch):
    start = utcnow()
    for days_on in (0, 31):
        later = start + timedelta(days=days_on)
        state(app).clock.now = later
        with db.read_session() as session:
            slow = reports.slow_movers(session, 30, 80)
            expected = _unsold(session, later - timedelta(days=30))
        assert {m.row.sku: m.row.available for m in slow} == expected
        assert len(expected) == (0 if days_on == 0 else 3)
    # The idle product has all its 500 units; most stock comes first.
    assert slow[0].row.sku == centre["idle"] and slow[0].row.available == 500


def test_velocity_buyers_and_what_each_type_buys(app, db, centre):
    with db.read_session() as session:
        raw = _raw(session)
        fast = reports.velocity(session, TZ)
        people = reports.buyers(session)
        kinds = reports.what_types_buy(session, reports.last_days(30, TZ))

    month = reports.last_days(30, TZ)
    week_start = month.last - timedelta(days=6)
    week, total = Counter(), Counter()
    for order, line in _sold(raw, month):
        sku = raw["products"][line.product_id].sku
        total[sku] += line.quantity
        if reports.day_of(month, order.created_at) >= week_start:
            week[sku] += line.quantity
    assert {v.sku: (v.week_units, v.month_units) for v in fast} == {
        sku: (week[sku], total[sku]) for sku in total}

    assert Counter({(k, lv): n for k, lv, n in people}) == Counter(
        (b.business_type, b.member_level) for b in raw["buyers"].values())

    bought = defaultdict(Counter)
    for _order, line in _sold(raw, month):
        kind = raw["buyers"][raw["orders"][line.order_id].buyer_id].business_type
        bought[kind][raw["products"][line.product_id].category] += line.quantity
    assert {kind: {t.key: t.units for t in totals} for kind, totals in kinds.items()} == {
        kind: dict(counter) for kind, counter in bought.items()}


def test_every_report_page_draws_a_chart_and_its_csv_carries_the_same_rows(app, db, centre,
                                                                          monkeypatch):
    later = utcnow() + timedelta(days=31)  # so the slow movers' report has rows
    client = sign_in(app, "manager")
    for name in REPORT_NAMES:
        # The other reports look at this month; only the slow movers need a month to pass.
        state(app).clock.now = later if name == "slow-movers" else None
        page = client.get(f"/console/reports/{name}")
        assert page.status_code == 200
        assert '<svg class="chart"' in page.get_data(as_text=True), name
        sheet = client.get(f"/console/reports/{name}.csv")
        assert sheet.status_code == 200 and sheet.data.startswith("\ufeff".encode())
        assert len(sheet.get_data(as_text=True).splitlines()) > 1, name
    rows = list(csv.reader(io.StringIO(client.get("/console/reports/sales.csv")
                                       .get_data(as_text=True).lstrip("\ufeff"))))
    # Zones by their names, amounts as plain yuan a spreadsheet reads as numbers.
    by_zone = [row for row in rows if row[1] in ("爆款区", "跨境区")]
    assert sorted(row[1] for row in by_zone) == ["爆款区", "跨境区"]
    assert all(re.fullmatch(r"\d+\.\d\d", row[3]) for row in by_zone), by_zone
    page = client.get("/console/reports/sales").get_data(as_text=True)
    assert all(f"<td>{yuan(round(float(row[3]) * 100))}</td>" in page for row in by_zone)
    assert staff_client(app, "plainstaff")[0].get("/console/reports/sales").status_code == 403


def test_every_report_csv_writes_names_that_look_like_formulas_as_text(app, db, centre):
    h0, h1, h2, h3 = ("'" + text for text in FORMULAS)
    categories = {"cup": FORMULAS[0], "lamp": FORMULAS[3], "idle": FORMULAS[2]}
    with db.unit_of_work() as session:
        for name, text in zip(("cup", "lamp", "idle"), FORMULAS[:3], strict=True):
            product = session.scalar(select(Product).where(Product.sku == centre[name]))
            product.sku = product.name_zh = product.name_en = product.factory.code = text
            product.category = categories[name]
    # Which texts each report shows: factories' codes, SKUs, names or categories.
    expected = {"sales": {h0, h1}, "conversion": {h0, h1, h2}, "slow-movers": {h0, h1, h2},
                "velocity": {h0, h1}, "buyers": set(), "business-types": {h0, h3}}
    later = utcnow() + timedelta(days=31)
    client = sign_in(app, "manager")
    for name in REPORT_NAMES:
        state(app).clock.now = later if name == "slow-movers" else None
        text = client.get(f"/console/reports/{name}.csv").data.decode("utf-8-sig")
        cells = [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]
        assert [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")] == []
        assert {cell for cell in cells if cell.startswith("'")} == expected[name], name
