"""我的 on SQLite and PostgreSQL: a buyer's orders newest first, reordering one at today's
terms with what changed said, and what the next member level needs."""

from sqlalchemy import select, update

from store_api.catalogue.models import PriceTier, Product
from store_api.core.state import state
from store_api.orders import orders
from store_api.staff.models import User
from store_api.stock import inventory
from store_api.stock.inventory import StockLine
from tests.support.buyers import sign_in
from tests.support.clients import staff_client


def test_reorder_says_what_changed_and_leaves_out_what_is_retired(app, make_product):
    db = state(app).db
    with db.unit_of_work() as session:
        cup, centre, _ = make_product(session, moq=6, case_pack=6, ladder=((6, 1000),))
        bowl, _, _ = make_product(session, moq=2, case_pack=2, ladder=((2, 500),))
        inventory.receive(session, [StockLine(cup.id, centre.id, 100),
                                    StockLine(bowl.id, centre.id, 100)], actor="t")
        skus = cup.sku, bowl.sku
    phone = app.test_client()
    sign_in(phone, app, "13900000001")
    placed = phone.post("/api/v1/orders", headers={"Idempotency-Key": "first-order-01"},
                        json={"lines": [{"sku": skus[0], "quantity": 6},
                                        {"sku": skus[1], "quantity": 4}]})
    assert placed.status_code == 201
    number = placed.json["number"]
    with db.unit_of_work() as session:
        session.execute(update(PriceTier).where(PriceTier.product_id == select(Product.id).where(
            Product.sku == skus[0]).scalar_subquery()).values(unit_price_fen=1100))
        session.execute(update(Product).where(Product.sku == skus[0]).values(moq=12))
        session.execute(update(Product).where(Product.sku == skus[1]).values(status="archived"))

    page = phone.post(f"/me/orders/{number}/reorder").get_data(as_text=True)
    assert "价格原为 ￥10.00，现为 ￥11.00" in page
    assert "起订量现为 12" in page and "已下架，未加入购物车" in page
    cart = phone.get("/api/v1/cart").json
    assert [(line["sku"], line["quantity"], line["unit_price_fen"]) for line in cart["lines"]] == [
        (skus[0], 12, 1100)]

    answer = phone.post(f"/api/v1/buyer/orders/{number}/reorder", json={})
    assert answer.status_code == 200, answer.json
    api = answer.json["lines"]
    assert {line["sku"]: line["changes"] for line in api} == {
        skus[0]: ["quantity", "price"], skus[1]: ["retired"]}
    # Another account's order is not found, and reorders nothing.
    other = app.test_client()
    sign_in(other, app, "13700000002")
    assert other.post(f"/api/v1/buyer/orders/{number}/reorder", json={}).status_code == 404
    assert other.post(f"/me/orders/{number}/reorder").status_code == 404
    assert other.get("/api/v1/cart").json["lines"] == []


def test_my_orders_come_newest_first_with_what_the_next_level_needs(app, make_product):
    db = state(app).db
    with db.unit_of_work() as session:
        cup, centre, _ = make_product(session, moq=1, case_pack=1, ladder=((1, 500_000),))
        inventory.receive(session, [StockLine(cup.id, centre.id, 10)], actor="t")
        sku = cup.sku
    phone = app.test_client()
    sign_in(phone, app, "13900000003")
    numbers = [phone.post("/api/v1/orders", headers={"Idempotency-Key": f"my-order-{n:05d}"},
                          json={"lines": [{"sku": sku, "quantity": 1}]}).json["number"]
               for n in range(2)]
    staff_client(app, "counter")
    with db.read_session() as session:
        staff_id = session.scalar(select(User.id).where(User.username == "counter"))
    orders.pay(db, numbers[0], method="cash", reference="", user_id=staff_id)
    listed = [o["number"] for o in phone.get("/api/v1/buyer/orders").json["orders"]]
    assert listed == numbers[::-1]
    page = phone.get("/me").get_data(as_text=True)
    assert page.index(numbers[1]) < page.index(numbers[0])
    # 5,000.00 paid of the 20,000.00 silver asks.
    assert "近 12 个月采购：￥5,000.00" in page and "再采购 ￥15,000.00 即可成为银牌会员" in page
