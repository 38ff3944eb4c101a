"""Credit that has a limit, on SQLite and PostgreSQL: an order on account past the limit is
refused with what is available, paying on account charges the account, payments move the
balance, the account ledger is append-only, and overdue accounts are listed."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from store_api.buyers.models import AccountEntry, Buyer
from store_api.core.audit import Actor
from store_api.core.errors import DomainError
from store_api.core.models import AuditLogEntry, utcnow
from store_api.core.state import state
from store_api.orders import credit, orders
from store_api.orders.checkout import Delivery, place_order
from store_api.stock import inventory
from store_api.stock.inventory import StockLine
from tests.support.buyers import sign_in
from tests.support.clients import sign_in as staff_sign_in

PHONE = "13900000001"


@pytest.fixture
def member(app, make_product):
    """A cup at 10.00 with plenty in the centre; a member on account with a 100.00 limit,
    signed in on a phone."""
    with state(app).db.unit_of_work() as session:
        cup, centre, _ = make_product(session, moq=1, case_pack=1, ladder=((1, 1000),))
        inventory.receive(session, [StockLine(cup.id, centre.id, 1000)], actor="t")
        session.add(Buyer(phone=PHONE, contact_phone=PHONE, name="金老板", business_type="shop",
                          member_level="standard", on_account=True, credit_limit_fen=10000))
        sku = cup.sku
    phone = app.test_client()
    sign_in(phone, app, PHONE)
    phone.sku = sku
    return phone


@pytest.fixture
def counter(app):
    """The counter's staff client, with its user id for payments taken there."""
    client = staff_sign_in(app, "staff", "counter")
    with state(app).db.read_session() as session:
        client.user_id = session.scalar(text("SELECT id FROM users WHERE username = 'counter'"))
    return client


def pay_on_account(app, number, counter):
    orders.pay(state(app).db, number, method="on_account", reference="",
               user_id=counter.user_id)


def order(phone, units, key):
    return phone.post("/api/v1/orders", headers={"Idempotency-Key": key},
                      json={"lines": [{"sku": phone.sku, "quantity": units}]})


def account(app):
    with state(app).db.read_session() as session:
        buyer = session.scalar(select(Buyer).where(Buyer.phone == PHONE))
        return credit.account(session, buyer, terms_days=30)


def test_an_order_on_account_past_the_limit_is_refused_with_what_is_available(app, member):
    first = order(member, 6, "on-account-0001")
    assert first.status_code == 201 and first.json["hold_until"] is None
    refused = order(member, 5, "on-account-0002")
    assert (refused.status_code, refused.json["error"]["code"]) == (409, "credit_limit")
    assert "￥40.00" in refused.json["error"]["message"]
    assert order(member, 4, "on-account-0003").status_code == 201
    assert (account(app).open_orders_fen, account(app).available_fen) == (10000, 0)


def test_paying_on_account_charges_it_and_payments_bring_the_balance_down(app, member,
                                                                          counter):
    number = order(member, 6, "charged-00001").json["number"]
    staff = counter
    pay_on_account(app, number, counter)
    now = account(app)
    assert (now.balance_fen, now.open_orders_fen, now.available_fen) == (6000, 0, 4000)

    with state(app).db.read_session() as session:
        buyer_id = session.scalar(select(Buyer.id).where(Buyer.phone == PHONE))
    page = f"/console/buyers/{buyer_id}"
    paid = staff.post(f"{page}/payments", data={"amount": "25.50", "method": "cash",
                                                "reference": "收据 0012",
                                                "csrf_token": staff.csrf_token})
    assert paid.status_code == 303
    assert (account(app).balance_fen, account(app).available_fen) == (3450, 6550)
    shown = staff.get(page).get_data(as_text=True)
    assert "￥34.50" in shown and "收据 0012" in shown and number in shown

    for amount in ("35.00", "abc", "-5", "1.234", "0", "", "99999999999"):
        staff.post(f"{page}/payments", data={"amount": amount, "method": "cash",
                                             "csrf_token": staff.csrf_token})
    staff.post(f"{page}/payments", data={"amount": "1", "method": "wechat",
                                         "csrf_token": staff.csrf_token})
    assert account(app).balance_fen == 3450  # every bad payment changed nothing
    with state(app).db.read_session() as session:
        kinds = [e.kind for e in session.scalars(select(AccountEntry).order_by(AccountEntry.id))]
    assert kinds == ["charge", "payment"]


def test_the_account_ledger_is_append_only(app, member, counter):
    number = order(member, 2, "ledger-000001").json["number"]
    pay_on_account(app, number, counter)
    for statement in ("UPDATE account_entries SET amount_fen = 1",
                      "DELETE FROM account_entries"):
        with pytest.raises(DBAPIError), state(app).db.unit_of_work() as session:
            session.execute(text(statement))
    assert account(app).balance_fen == 2000


def test_overdue_accounts_are_listed_until_paid(app, member, counter):
    number = order(member, 3, "overdue-00001").json["number"]
    pay_on_account(app, number, counter)
    staff = counter
    assert "金老板" not in staff.get("/console/buyers?overdue=1").get_data(as_text=True)
    state(app).clock.now = utcnow() + timedelta(days=31)
    assert account(app).overdue_fen == 3000
    assert "金老板" in staff.get("/console/buyers?overdue=1").get_data(as_text=True)
    with state(app).db.read_session() as session:
        buyer_id = session.scalar(select(Buyer.id).where(Buyer.phone == PHONE))
    credit.record_payment(state(app).db, buyer_id, "30", method="bank_transfer", reference="",
                          actor=Actor(None, "t"), terms_days=30)
    assert account(app).overdue_fen == 0
    assert "金老板" not in staff.get("/console/buyers?overdue=1").get_data(as_text=True)


def test_managers_set_the_limit_and_the_change_is_audited(app, member, counter):
    with state(app).db.read_session() as session:
        buyer_id = session.scalar(select(Buyer.id).where(Buyer.phone == PHONE))
    form = {"member_level": "gold", "on_account": "1", "credit_limit": "500"}
    staff = counter
    assert staff.post(f"/console/buyers/{buyer_id}/terms",
                      data={**form, "csrf_token": staff.csrf_token}).status_code == 403
    manager = staff_sign_in(app, "manager")
    manager.post(f"/console/buyers/{buyer_id}/terms",
                 data={**form, "csrf_token": manager.csrf_token})
    assert account(app).limit_fen == 50000
    manager.post(f"/console/buyers/{buyer_id}/terms",
                 data={**form, "credit_limit": "lots", "csrf_token": manager.csrf_token})
    assert account(app).limit_fen == 50000
    with state(app).db.read_session() as session:
        [entry] = session.scalars(select(AuditLogEntry).where(
            AuditLogEntry.action == "buyer.terms")).all()
        assert entry.before["credit_limit_fen"] == 10000
        assert entry.after == {"member_level": "gold", "on_account": True,
                               "credit_limit_fen": 50000}


def test_the_counter_cannot_put_an_order_past_the_limit_on_account(app, member, counter):
    with state(app).db.unit_of_work() as session:
        session.scalar(select(Buyer).where(Buyer.phone == PHONE)).on_account = False
    number = order(member, 8, "counter-limit1").json["number"]  # an ordinary held order
    with state(app).db.unit_of_work() as session:
        buyer = session.scalar(select(Buyer).where(Buyer.phone == PHONE))
        buyer.on_account, buyer.credit_limit_fen = True, 5000
    with pytest.raises(DomainError) as refused:
        pay_on_account(app, number, counter)
    assert refused.value.code == "credit_limit" and "50.00" in str(refused.value)
    assert account(app).balance_fen == 0


def test_cancelling_an_order_paid_on_account_takes_its_charge_back(app, member, counter):
    number = order(member, 5, "cancelled-0001").json["number"]
    pay_on_account(app, number, counter)
    assert account(app).balance_fen == 5000
    orders.cancel(state(app).db, number, actor="staff:counter")
    state(app).clock.now = utcnow() + timedelta(days=31)
    now = account(app)
    assert (now.balance_fen, now.overdue_fen, now.available_fen) == (0, 0, 10000)
    with state(app).db.read_session() as session:
        kinds = [e.kind for e in session.scalars(select(AccountEntry).order_by(AccountEntry.id))]
    assert kinds == ["charge", "reversal"]
    with state(app).db.read_session() as session:
        buyer_id = session.scalar(select(Buyer.id).where(Buyer.phone == PHONE))
    page = counter.get(f"/console/buyers/{buyer_id}").get_data(as_text=True)
    assert f"订单 {number} 已取消：挂账已冲回" in page


def test_orders_on_account_sent_at_once_never_pass_the_limit_together(app, member):
    """Eight phones of one account each order 4.00 of a 10.00 limit at the same moment."""
    start, answers = threading.Barrier(8), []
    with state(app).db.read_session() as session:
        buyer_id = session.scalar(select(Buyer.id).where(Buyer.phone == PHONE))

    def place(n: int) -> None:
        start.wait()
        try:
            place_order(state(app).db, buyer_id=buyer_id, requested=[(member.sku, 4)],
                        delivery=Delivery(), idempotency_key=f"together-{n:04d}",
                        settings=state(app).settings)
            answers.append("placed")
        except DomainError as refused:
            answers.append(refused.code)

    threads = [threading.Thread(target=place, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(answers) == ["credit_limit"] * 6 + ["placed"] * 2
    assert account(app).open_orders_fen == 8000
