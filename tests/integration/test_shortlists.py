"""Shortlists on SQLite and PostgreSQL, over the buyer's pages: starred from the scan page,
shared to edit or only to look, live prices and stock, into the cart in one step."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from store_api.catalogue.models import Product
from store_api.core.models import utcnow
from store_api.core.state import state
from store_api.orders.models import Shortlist, ShortlistItem
from store_api.stock import inventory
from store_api.stock.inventory import StockLine
from tests.support.buyers import sign_in


@pytest.fixture
def shelf(app, make_product):
    """A cup (MOQ 6 in cases of 6, 10.00) with 40 in stock, a bowl (MOQ 4, 5.00) with none."""
    with state(app).db.unit_of_work() as session:
        cup, centre, _ = make_product(session, moq=6, case_pack=6, ladder=((6, 1000),))
        bowl, _, _ = make_product(session, moq=4, case_pack=2, ladder=((4, 500),))
        inventory.receive(session, [StockLine(cup.id, centre.id, 40)], actor="t")
        return {"cup": (cup.sku, cup.slot.code), "bowl": (bowl.sku, bowl.slot.code)}


def star(client, shelf, name):
    sku, code = shelf[name]
    return client.post("/lists/star", data={"sku": sku, "next": f"/s/{code}"})


def list_link(client) -> str:
    page = client.get("/lists").get_data(as_text=True)
    return page.split('href="/l/')[1].split('"')[0]


def share_links(client, token) -> dict[str, str]:
    page = client.get(f"/l/{token}").get_data(as_text=True)
    edit = page.split('class="share-link share-edit"')[1].split('value="')[1].split('"')[0]
    view = page.split('class="share-link share-view"')[1].split('value="')[1].split('"')[0]
    return {"edit": edit.rsplit("/", 1)[1], "view": view.rsplit("/", 1)[1]}


def items(app) -> int:
    with state(app).db.read_session() as session:
        return session.scalar(select(func.count()).select_from(ShortlistItem))


def test_a_star_saves_to_a_list_the_device_keeps(app, shelf):
    phone = app.test_client()
    answer = star(phone, shelf, "cup")
    assert answer.status_code == 303 and answer.headers["Location"].endswith(shelf["cup"][1])
    page = phone.get(f"/s/{shelf['cup'][1]}").get_data(as_text=True)
    assert "已在选品单：我的选品单" in page
    star(phone, shelf, "cup")  # a second star changes nothing
    star(phone, shelf, "bowl")
    assert items(app) == 2
    listed = phone.get(f"/l/{list_link(phone)}").get_data(as_text=True)
    assert "￥10.00" in listed and "库存 40 件" in listed and "缺货" in listed
    assert app.test_client().get("/lists").get_data(as_text=True).count('href="/l/') == 0


def test_a_shared_edit_link_lets_a_colleague_edit_and_a_view_link_only_look(app, shelf):
    owner, colleague, visitor = app.test_client(), app.test_client(), app.test_client()
    star(owner, shelf, "cup")
    links = share_links(owner, list_link(owner))
    assert links["edit"] != links["view"]

    assert colleague.get(f"/l/{links['edit']}").status_code == 200  # joins the list
    star(colleague, shelf, "bowl")  # onto the shared list, the colleague's latest
    assert colleague.post(f"/l/{links['edit']}/remove",
                          data={"sku": shelf["cup"][0]}).status_code == 303
    owners_view = owner.get(f"/l/{links['edit']}").get_data(as_text=True)
    assert shelf["bowl"][0] in owners_view and shelf["cup"][0] not in owners_view

    looked = visitor.get(f"/l/{links['view']}").get_data(as_text=True)
    assert "他人分享给您查看的选品单" in looked and "share-edit" not in looked
    assert visitor.post(f"/l/{links['view']}/remove",
                        data={"sku": shelf["bowl"][0]}).status_code == 404
    assert visitor.get("/lists").get_data(as_text=True).count('href="/l/') == 0
    assert items(app) == 1


def test_a_list_goes_into_the_cart_at_each_moq_leaving_out_what_is_retired(app, shelf):
    phone = app.test_client()
    star(phone, shelf, "cup")
    star(phone, shelf, "bowl")
    with state(app).db.unit_of_work() as session:
        session.execute(update(Product).where(Product.sku == shelf["bowl"][0])
                        .values(status="archived"))
    token = list_link(phone)
    assert "已下架" in phone.get(f"/l/{token}").get_data(as_text=True)
    assert phone.post(f"/l/{token}/cart").status_code == 303
    cart = phone.get("/api/v1/cart").json
    assert [(line["sku"], line["quantity"]) for line in cart["lines"]] == [(shelf["cup"][0], 6)]
    phone.post("/cart/set", data={"sku": shelf["cup"][0], "quantity": "18"})
    phone.post(f"/l/{token}/cart")  # the cart's larger quantity stays
    assert phone.get("/api/v1/cart").json["lines"][0]["quantity"] == 18


def test_an_accounts_lists_follow_it_to_another_phone(app, shelf):
    first, second = app.test_client(), app.test_client()
    sign_in(first, app, "13900000001")
    first.post("/lists", data={"name": "秋季厨房"})
    state(app).clock.now = utcnow() + timedelta(seconds=61)
    sign_in(second, app, "13900000001")
    assert "秋季厨房" in second.get("/lists").get_data(as_text=True)


@pytest.mark.parametrize("token", ["x", "A" * 40, "0123456789abcdef0123", "../../etc"])
def test_forged_list_links_find_nothing(app, shelf, token):
    client = app.test_client()
    assert client.get(f"/l/{token}").status_code == 404
    assert client.post(f"/l/{token}/cart").status_code == 404
    assert client.post("/lists/star", data={"sku": shelf["cup"][0],
                                            "list": token}).status_code == 404
    assert items(app) == 0


@pytest.mark.parametrize("name", ["", "   ", "名" * 61])
def test_a_list_needs_a_name(app, shelf, name):
    answer = app.test_client().post("/lists", data={"name": name})
    assert answer.status_code == 422 and "60" in answer.get_data(as_text=True)


def test_an_unknown_product_cannot_be_starred(app, shelf):
    phone = app.test_client()
    assert phone.post("/lists/star", data={"sku": "NO-SUCH"}).status_code == 422
    assert items(app) == 0
    with state(app).db.read_session() as session:
        assert session.scalar(select(func.count()).select_from(Shortlist)) == 0  # none empty


def test_a_list_starred_on_the_kiosk_goes_to_a_phone_by_its_hand_off_code(app, shelf):
    kiosk, phone = app.test_client(), app.test_client()
    kiosk.get("/kiosk")
    star(kiosk, shelf, "cup")
    page = kiosk.get("/kiosk/handoff").get_data(as_text=True)
    assert 'id="handoff"' not in page  # no cart to hand over, only the list
    url = page.split('id="handoff-list" data-url="')[1].split('"')[0]
    assert phone.get(url.split("127.0.0.1:8000", 1)[1]).status_code == 200
    assert "我的选品单" in phone.get("/lists").get_data(as_text=True)
    kiosk.post("/kiosk/reset")  # the next buyer at the kiosk starts with no list
    assert kiosk.get("/lists").get_data(as_text=True).count('href="/l/') == 0
    assert phone.get("/lists").get_data(as_text=True).count('href="/l/') == 1
