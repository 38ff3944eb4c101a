"""The factory portal: stock, forwards, pick list, statements and unsold stock, each a page a
factory user signs in to, each acting on that factory's own goods alone."""

import csv
import html
import io
import subprocess
from datetime import timedelta

from sqlalchemy import select, update

from store_api.catalogue.models import Product
from store_api.core.models import utcnow
from store_api.core.state import state
from store_api.fulfilment import consignment as consignment_service
from store_api.fulfilment.models import Forward
from store_api.stock.models import StockLedgerEntry
from tests.support.clients import portal_client
from tests.support.consignment import receive_at_centre


def test_a_factory_accepts_ships_and_the_buyer_sees_the_tracking_number(app, consignment):
    a = consignment.a
    client, token = portal_client(app, a)
    stock = client.get("/portal/").get_data(as_text=True)
    assert a.sku in stock and "甲厂保温杯" in stock
    forwards = client.get("/portal/forwards").get_data(as_text=True)
    assert a.forwards[0] in forwards and 'class="countdown"' in forwards
    assert client.post(f"/portal/forwards/{a.forwards[0]}/accept",
                       data={"csrf_token": token}).status_code == 303
    shipped = client.post(f"/portal/forwards/{a.forwards[0]}/ship",
                          data={"csrf_token": token, "carrier": "顺丰",
                                "tracking_number": "SF5550001"}, follow_redirects=True)
    assert "SF5550001" in shipped.get_data(as_text=True)
    buyer_page = app.test_client().get(f"/orders/{a.orders[0]}").get_data(as_text=True)
    assert "SF5550001" in buyer_page and "顺丰" in buyer_page
    with state(app).db.read_session() as session:
        assert session.scalar(select(Forward.state).where(
            Forward.message_id == a.forwards[0])) == "shipped"


def test_portal_forms_need_their_csrf_token_and_refuse_bad_input(app, consignment):
    a = consignment.a
    client, token = portal_client(app, a)
    url = f"/portal/forwards/{a.forwards[0]}/accept"
    assert client.post(url, data={}).status_code == 400
    bad = client.post(f"/portal/forwards/{a.forwards[0]}/reject",
                      data={"csrf_token": token, "reason": "whatever"}, follow_redirects=True)
    # The reason list itself names 缺货, so look for the refusal, not the word.
    assert '<p class="error-message" role="status">请选择原因' in bad.get_data(as_text=True)
    empty = client.post(f"/portal/forwards/{a.forwards[0]}/ship",
                        data={"csrf_token": token, "carrier": "", "tracking_number": ""},
                        follow_redirects=True)
    assert 'class="error-message"' in empty.get_data(as_text=True)
    version = html.unescape(client.get("/portal/").get_data(as_text=True).split(
        'name="version" value="')[1].split('"')[0])
    for value in ("-3", "abc", "1e9", "99999999999999"):
        answer = client.post(f"/portal/stock/{a.sku}", data={
            "csrf_token": token, "version": version, "on_hand": value}, follow_redirects=True)
        assert 'class="error-message"' in answer.get_data(as_text=True), value
    with state(app).db.read_session() as session:
        assert session.scalar(select(Forward.state).where(
            Forward.message_id == a.forwards[0])) == "submitted"
        assert not list(session.scalars(select(StockLedgerEntry.id).where(
            StockLedgerEntry.reason == "factory_count")))


def test_the_stock_form_sets_factory_stock_once_per_version(app, consignment):
    a = consignment.a
    client, token = portal_client(app, a)
    page = client.get("/portal/").get_data(as_text=True)
    version = html.unescape(page.split('name="version" value="')[1].split('"')[0])
    form = {"csrf_token": token, "version": version, "on_hand": "180"}
    first = client.post(f"/portal/stock/{a.sku}", data=form, follow_redirects=True)
    assert 'class="factory-on-hand">180<' in first.get_data(as_text=True)
    stale = client.post(f"/portal/stock/{a.sku}", data={**form, "on_hand": "50"},
                        follow_redirects=True).get_data(as_text=True)
    assert 'class="error-message"' in stale and 'class="factory-on-hand">180<' in stale


def test_pick_list_and_statement_documents(app, consignment):
    a = consignment.a
    client, token = portal_client(app, a)
    pick = client.get("/portal/picklist.pdf")
    assert pick.status_code == 200 and pick.data.startswith(b"%PDF")
    text = _pdf_text(pick.data)
    assert a.orders[0] in text and "杭州市西湖区" in text and "甲厂保温杯" in text
    client.post(f"/portal/forwards/{a.forwards[0]}/ship",
                data={"csrf_token": token, "carrier": "顺丰", "tracking_number": "SF1"})
    month = consignment_service.this_month(state(app).settings["centre.timezone"])
    page = client.get(f"/portal/statement?month={month}").get_data(as_text=True)
    assert "￥60.00" in page  # 12 units at a supply price of ￥5.00
    rows = list(csv.reader(io.StringIO(
        client.get(f"/portal/statement.csv?month={month}").data.decode("utf-8-sig"))))
    assert rows[1] == ["sale", a.sku, "甲厂保温杯", "12", "500", "6000"]
    assert rows[-1] == ["total_owed", "", "", "", "", "6000"]
    statement_pdf = client.get(f"/portal/statement.pdf?month={month}").data
    assert "60.00" in _pdf_text(statement_pdf) and a.sku in _pdf_text(statement_pdf)
    assert client.get("/portal/statement?month=2026-13").status_code == 404



def test_the_statement_csv_writes_a_name_that_looks_like_a_formula_as_text(app, consignment):
    a = consignment.a
    client, token = portal_client(app, a)
    client.post(f"/portal/forwards/{a.forwards[0]}/ship",
                data={"csrf_token": token, "carrier": "顺丰", "tracking_number": "SF1"})
    month = consignment_service.this_month(state(app).settings["centre.timezone"])
    for text in ('=HYPERLINK("http://x","y")', "+1", "-1+1", "@SUM(A1)"):
        with state(app).db.unit_of_work() as session:
            session.execute(update(Product).where(Product.id == a.product_id)
                            .values(sku=text, name_zh=text))
        rows = list(csv.reader(io.StringIO(client.get(
            f"/portal/statement.csv?month={month}").data.decode("utf-8-sig"), newline="")))
        assert rows[1] == ["sale", "'" + text, "'" + text, "12", "500", "6000"]

def test_unsold_stock_is_offered_and_taken_back(app, consignment, monkeypatch):
    a = consignment.a
    receive_at_centre(app, a, 40)
    client, token = portal_client(app, a)
    assert a.sku not in client.get("/portal/unsold").get_data(as_text=True)
    later = utcnow() + timedelta(days=31)
    state(app).clock.now = later
    page = client.get("/portal/unsold").get_data(as_text=True)
    assert f'data-sku="{a.sku}"' in page and "￥4.00" in page  # 80 % of ￥5.00
    too_many = client.post(f"/portal/unsold/{a.sku}/return",
                           data={"csrf_token": token, "quantity": "41"}, follow_redirects=True)
    assert 'class="error-message"' in too_many.get_data(as_text=True)
    client.post(f"/portal/unsold/{a.sku}/return", data={"csrf_token": token, "quantity": "40"})
    with state(app).db.read_session() as session:
        moved = session.scalars(select(StockLedgerEntry.delta_on_hand).where(
            StockLedgerEntry.reason == "return_to_factory").order_by(StockLedgerEntry.id))
        assert sorted(moved) == [-40, 40]


def test_staff_and_anonymous_users_cannot_use_the_portal(app, consignment):
    from tests.support.clients import staff_client

    anonymous = app.test_client().get("/portal/forwards")
    assert anonymous.status_code == 302 and "/console/login" in anonymous.headers["Location"]
    staff, _ = staff_client(app)
    assert staff.get("/portal/").status_code == 403
    portal, _ = portal_client(app, consignment.a)
    assert portal.get("/console/counter").status_code == 403


def _pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()


def test_a_rejected_forward_reaches_the_staff_board_and_is_rerouted_there(app, consignment):
    from tests.support.clients import staff_client

    a = consignment.a
    receive_at_centre(app, a, 30)
    portal, token = portal_client(app, a)
    portal.post(f"/portal/forwards/{a.forwards[0]}/reject",
                data={"csrf_token": token, "reason": "bad_address", "note": ""})
    staff, staff_token = staff_client(app)
    board = staff.get("/console/forwards").get_data(as_text=True)
    assert a.orders[0] in board and consignment.b.orders[0] not in board
    with state(app).db.read_session() as session:
        forward_id = session.scalar(select(Forward.id).where(
            Forward.message_id == a.forwards[0]))
    assert staff.post(f"/console/forwards/{forward_id}/reroute",
                      data={}).status_code == 400  # no CSRF token
    after = staff.post(f"/console/forwards/{forward_id}/reroute",
                       data={"csrf_token": staff_token}, follow_redirects=True)
    assert a.orders[0] not in after.get_data(as_text=True)
    buyer_page = app.test_client().get(f"/orders/{a.orders[0]}").get_data(as_text=True)
    assert 'state-cancelled' in buyer_page and "改由本中心库存发货" in buyer_page


def _late_table(client) -> str:
    return client.get("/console/forwards").get_data(as_text=True).split(
        'class="jobs forwards late"')[1]


def test_forwards_past_their_dispatch_promise_are_flagged_on_the_staff_board(
        app, consignment, monkeypatch):
    from tests.support.clients import staff_client

    staff, _ = staff_client(app)
    assert consignment.a.orders[0] not in _late_table(staff)
    later = utcnow() + timedelta(hours=49)  # the factories promise 48 hours
    state(app).clock.now = later
    late = _late_table(staff)
    assert consignment.a.orders[0] in late and consignment.b.orders[0] in late
    portal, token = portal_client(app, consignment.a)
    portal.post(f"/portal/forwards/{consignment.a.forwards[0]}/ship",
                data={"csrf_token": token, "carrier": "顺丰速运", "tracking_number": "SF1"})
    late = _late_table(staff)
    assert consignment.a.orders[0] not in late and consignment.b.orders[0] in late
