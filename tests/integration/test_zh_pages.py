"""Every page the app serves, read in Chinese by each kind of visitor: no English left outside
names and codes, amounts in ￥, one word for kilograms, and things named 名称 rather than 姓名.

The demo centre is loaded, buyers order in every state an order can reach, staff pay, pick and
cancel, factories accept, ship and reject; then staff of each role, a factory user in the portal,
a passer-by, a guest buyer, a signed-in buyer and a touch kiosk each open every GET page of the
url map (pages with URL arguments filled from that centre) with Accept-Language: zh-CN.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from store_api import create_app
from store_api.buyers.models import Buyer
from store_api.catalogue.models import Product, ShelfSlot, Zone
from store_api.core import migrate
from store_api.core.audit import Actor
from store_api.core.clock import CLOCK
from store_api.core.models import utcnow
from store_api.core.state import state
from store_api.core.worker import Worker
from store_api.displays import screens
from store_api.displays.models import Screen
from store_api.factories.models import Factory
from store_api.fulfilment import fulfilment
from store_api.fulfilment.models import Forward
from store_api.orders import credit, orders
from store_api.orders.models import Order, Shortlist
from store_api.printing.labels import templates as label_templates
from store_api.printing.models import PrintJob
from store_api.reports.console import REPORTS
from store_api.staff.models import User
from tests.support import buyers
from tests.support.centre import load
from tests.support.clients import sign_in
from tests.support.services import free_port

ZH = {"Accept-Language": "zh-CN,zh;q=0.9", "Accept": "text/html,*/*;q=0.8"}

# Latin words a Chinese page may show: units, file kinds and the trade's own abbreviations,
# which Chinese buyers and staff read as they are.
ALLOWED = {
    "SKU", "MOQ", "kg", "cm", "mm", "ml", "QR", "CSV", "XLSX", "PDF", "PNG", "JPEG", "WebP",
    "API", "URL", "ERP", "ID",
    "Webhook",  # as factories' ERP developers call it in Chinese too
    "English",  # the language switch names its language in that language
    "bwb",  # the search box's example of pinyin initials (保温杯), which buyers type as such
    # Brands a signed-in device is named by (buyers/devices.py): "iPhone · 微信".
    "iPhone", "iPad", "Android", "HarmonyOS", "Windows", "Mac", "Linux", "Edge", "Firefox",
    "Chrome", "Safari",
}

# Endpoints that are not pages: JSON for programs, files, event streams, pictures.
NOT_PAGES = {"static", "media.media", "metrics", "health.healthz", "health.readyz",
             "openapi.openapi_json", "orders.order_events", "display.display_events"}



@dataclass
class Centre:
    """The demo centre after a day's trading, and what the pages' URLs need from it."""

    app: object
    orders: dict[str, str] = field(default_factory=dict)  # what it shows -> number
    slots: list[str] = field(default_factory=list)
    skus: list[str] = field(default_factory=list)
    zones: list[str] = field(default_factory=list)
    factories: list[str] = field(default_factory=list)
    buyer_ids: list[int] = field(default_factory=list)
    label_jobs: list[int] = field(default_factory=list)
    lists: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # data shown as typed, longest first
    clients: dict = field(default_factory=dict)


PHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
         "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47")


def _phone(app):
    """A test client that says it is a phone's browser, as the buyers' phones do."""
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = PHONE
    return client


def _place(client, key: str, lines, **delivery) -> str:
    answer = client.post("/api/v1/orders", headers={"Idempotency-Key": f"walk-{key}"}, json={
        "lines": [{"sku": sku, "quantity": quantity} for sku, quantity in lines],
        "delivery": delivery})
    assert answer.status_code == 201, answer.json
    return answer.json["number"]


def _forward_of(app, number: str) -> Forward:
    with state(app).db.read_session() as session:
        return session.scalar(select(Forward).join(Forward.group).join(Order).where(
            Order.number == number))


def _build(app) -> Centre:
    db = state(app).db
    # The centre opened days ago: its stock has gone unsold past consignment.unsold_days, and
    # a forward paid then is past its dispatch promise.
    CLOCK.now = utcnow() - timedelta(days=5)
    load(app)
    centre = Centre(app)
    ship = {"recipient_name": "张三", "recipient_phone": "13700000000",
            "ship_address": "杭州市西湖区文三路 1 号"}
    with db.unit_of_work() as session:
        staff = User(username="walker", display_name="巡店", role="staff")
        staff.set_password("walker-pass-01")
        session.add(staff)
        session.flush()
        staff_id = staff.id

    # A signed-in silver member, with orders in every state.
    member = _phone(app)
    buyers.sign_in(member, app, "13900000002")
    late = _place(member, "w-late", [("YK-BL-004", 24)], **ship)
    orders.pay(db, late, method="cash", reference="", user_id=staff_id)
    while Worker(state(app)).run_once():
        pass
    CLOCK.now = None
    held = _place(member, "w-held", [("TZ-HY-001", 24)])
    paid = _place(member, "w-paid", [("TZ-HY-003", 12), ("YK-RL-002", 12)])
    orders.pay(db, paid, method="card", reference="POS-1", user_id=staff_id)
    with db.read_session() as session:
        group = orders.load_order(session, paid).groups[0].id
    orders.mark_picked(db, paid, group)
    done = _place(member, "w-done", [("YW-XP-002", 100)])
    orders.pay(db, done, method="cash", reference="", user_id=staff_id)
    orders.collect(db, done)
    gone = _place(member, "w-cancelled", [("AJ-ZP-001", 12)])
    orders.cancel(db, gone, actor="staff:walker")
    shipped = _place(member, "w-shipped", [("YK-BL-001", 24)], **ship)
    orders.pay(db, shipped, method="bank_transfer", reference="", user_id=staff_id)
    rejected = _place(member, "w-rejected", [("CX-DQ-001", 12)], **ship)
    orders.pay(db, rejected, method="cash", reference="", user_id=staff_id)
    while Worker(state(app)).run_once():
        pass
    for number in (shipped, rejected):
        forward = _forward_of(app, number)
        if number == shipped:
            fulfilment.accept(db, forward.factory_id, forward.message_id, actor="factory")
            fulfilment.add_shipment(db, forward.factory_id, forward.message_id, "顺丰速运",
                                    "SF1234567890", actor="factory")
        else:
            fulfilment.reject(db, forward.factory_id, forward.message_id, "out_of_stock",
                              "缺货", actor="factory")
    # An order left unpaid past its hold.
    CLOCK.now = utcnow()
    expired = _place(member, "w-expired", [("TZ-HY-004", 24)])
    CLOCK.now += timedelta(minutes=state(app).settings.orders.hold_minutes + 1)
    orders.expire_overdue(state(app))
    CLOCK.now = None
    centre.orders.update(late=late, held=held, paid=paid, done=done, cancelled=gone,
                         shipped=shipped, rejected=rejected, expired=expired)
    member.post("/api/v1/cart/lines", json={"sku": "TZ-HY-002", "quantity": 12})
    member.post("/lists/star", data={"sku": "TZ-HY-001", "next": "/lists"})

    # The gold member on account: a charge and a payment against it.
    gold = _phone(app)
    buyers.sign_in(gold, app, "13900000001")
    on_account = _place(gold, "w-account", [("YK-RL-001", 4)])
    orders.pay(db, on_account, method="on_account", reference="", user_id=staff_id)
    centre.orders["on_account"] = on_account
    with db.read_session() as session:
        gold_id = session.scalar(select(Buyer.id).where(Buyer.phone == "13900000001"))
    credit.record_payment(db, gold_id, "100.00", method="bank_transfer", reference="网银",
                          actor=Actor(staff_id, "staff:walker"), terms_days=30)

    # A guest with a cart and an order waiting at the counter.
    guest = _phone(app)
    answer = guest.post("/api/v1/buyer", json={"phone": "13800000009", "name": "路人甲",
                                                "business_type": "restaurant"})
    assert answer.status_code in (200, 201), answer.json
    centre.orders["guest"] = _place(guest, "w-guest", [("AJ-ZP-002", 60)])
    guest.post("/api/v1/cart/lines", json={"sku": "AJ-ZP-002", "quantity": 60})

    # A touch kiosk with a cart to hand over.
    kiosk = _phone(app)
    kiosk.get("/kiosk")
    kiosk.post("/cart/add", data={"sku": "TZ-HY-005", "quantity": "24"})

    # Screens: one waiting for approval, one on a zone.
    rules = state(app).settings.displays
    for name in ("", "入口大屏"):
        _token, code = screens.register(db, rules)
        if name:
            screens.approve(db, code, "bestseller", name, rules=rules)

    admin = sign_in(app, "admin")
    manager = sign_in(app, "manager")
    staffer = sign_in(app, "staff")
    admin.post("/console/labels", data={"selection": "zone", "zone": "streamer",
                                        "template": "a4-3x8", "csrf_token": admin.csrf_token})
    with db.read_session() as session:
        factory_id = session.scalar(select(Factory.id).where(Factory.code == "YK-BL"))
    portal = sign_in(app, "factory", username="yk-bl-walker", factory_id=factory_id)
    while Worker(state(app)).run_once():
        pass

    with db.read_session() as session:
        zones = list(session.scalars(select(Zone).order_by(Zone.id)))
        centre.zones = [zone.code for zone in zones]
        products = list(session.scalars(select(Product).order_by(Product.sku)))
        # One product of each zone and each kind of facts its page shows.
        wanted = {"TZ-HY-001", "YK-BL-002", "TZ-HY-003", "YK-RL-001", "SY-SY-001"}
        centre.slots = [p.slot.code for p in products if p.sku in wanted]
        centre.skus = sorted(wanted)
        centre.factories = sorted(session.scalars(select(Factory.code)))[:3]
        centre.buyer_ids = list(session.scalars(select(Buyer.id).order_by(Buyer.id)))
        centre.label_jobs = list(session.scalars(select(PrintJob.id).where(
            PrintJob.kind == "label-pdf")))
        centre.lists = list(session.scalars(select(Shortlist.edit_token)))
        names = set()
        for product in products:
            names |= {product.sku, product.name_zh, product.name_en,
                      product.description_zh or "", product.description_en or ""}
        for factory in session.scalars(select(Factory)):
            names |= {factory.code, factory.name_zh, factory.name_en, factory.industrial_belt_zh,
                      factory.industrial_belt_en, factory.contact_name}
        for zone in zones:
            names |= {zone.name_zh, zone.name_en}
        names |= set(session.scalars(select(ShelfSlot.code)))
        names |= set(session.scalars(select(User.display_name)))
        for buyer in session.scalars(select(Buyer)):
            names |= {buyer.name or "", buyer.company or ""}
        names |= set(session.scalars(select(Order.number)))
        names |= set(session.scalars(select(Forward.message_id)))
        for screen in session.scalars(select(Screen)):
            names |= {screen.code, screen.name}
    names |= {"SF1234567890", "POS-1", *label_templates()}
    centre.names = sorted((n for n in names if n), key=len, reverse=True)
    centre.clients = {"visitor": _phone(app), "guest": guest, "member": member,
                      "kiosk": kiosk, "staff": staffer, "manager": manager, "admin": admin,
                      "factory": portal}
    return centre


def _arguments(centre: Centre) -> dict[str, list[dict]]:
    """The URL arguments each page taking some is opened with."""
    return {
        "scan.product_page": [{"code": code} for code in centre.slots] + [{"code": "ZZZZZZZZZZ"}],
        "orders.order_page": [{"number": n} for n in centre.orders.values()],
        "lists.list_page": [{"token": t} for t in centre.lists],
        "touch.take_cart": [{"code": "NO-SUCH"}],
        "display.display_page": [{"zone": z} for z in centre.zones],
        "display.display_content": [{"zone": z} for z in centre.zones],
        "console.buyer_page": [{"buyer_id": i} for i in centre.buyer_ids],
        "console.factory_page": [{"code": c} for c in centre.factories],
        "console.edit_product": [{"sku": s} for s in centre.skus],
        "console.export_products": [{"kind": "csv"}],
        "console.product_template": [{"kind": "csv"}],
        "console.label_job": [{"job": j} for j in centre.label_jobs],
        "console.label_job_progress": [{"job": j} for j in centre.label_jobs],
        "console.label_job_pdf": [],  # a PDF, drawn by the worker
        "console.report": [{"name": n} for n in REPORTS],
        "console.report_csv": [{"name": n} for n in REPORTS][:1],
    }


def _extra_urls(centre: Centre) -> list[str]:
    """Pages again with a query that shows more of them."""
    urls = [f"/console/counter?number={n}" for n in centre.orders.values()]
    urls += [f"/console/shelves?zone={z}" for z in centre.zones]
    urls += [f"/console/counts?zone={z}" for z in centre.zones]
    urls += [f"/kiosk/browse?zone={z}" for z in centre.zones]
    urls += ["/console/buyers?q=139", "/console/buyers?overdue=1", "/console/products?status=all",
             "/search?q=保温杯", "/search?q=没有这样的东西", "/kiosk/browse?category=storage",
             "/kiosk/browse?q=杯", "/console/audit?entity=product", "/no/such/page"]
    return urls


def _urls(centre: Centre) -> list[str]:
    app = centre.app
    filled = _arguments(centre)
    adapter = app.url_map.bind("localhost")
    urls, unfilled = [], []
    for rule in app.url_map.iter_rules():
        endpoint = rule.endpoint
        if "GET" not in rule.methods or endpoint in NOT_PAGES or endpoint.startswith("api."):
            continue
        if not rule.arguments:
            urls.append(adapter.build(endpoint))
        elif endpoint in filled:
            urls += [adapter.build(endpoint, values) for values in filled[endpoint]]
        else:
            unfilled.append(endpoint)
    assert unfilled == [], "give these pages' URL arguments in _arguments"
    return sorted(set(urls + _extra_urls(centre)))


class _Shown(HTMLParser):
    """What a page shows a person: its text and the attributes shown or read out. Scripts,
    styles, drawings and form fields' contents are left out, and so is what the page marks as
    not to be translated (translate="no", <code>): names and codes. JSON a script reads is kept
    apart."""

    SHOWN = ("placeholder", "title", "alt", "aria-label")
    HIDDEN = ("script", "style", "textarea", "code")
    VOID = ("input", "img", "br", "hr", "meta", "link", "source", "wbr")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.data: list[str] = []  # JSON blocks
        self.said: list[str] = []  # words in data attributes
        self.quiet: list[list] = []  # [tag, depth, json] of the elements whose text is left out

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if self.quiet:
            if tag == self.quiet[-1][0]:
                self.quiet[-1][1] += 1
            return
        if tag in self.HIDDEN or attributes.get("translate") == "no":
            if tag not in self.VOID:
                self.quiet.append([tag, 1, attributes.get("type") == "application/json"])
            return
        self.texts += [attributes[name] for name in self.SHOWN if attributes.get(name)]
        # A data attribute holding words (a space in it, where codes and addresses have none)
        # is what a script will show.
        self.said += [value for name, value in attrs
                      if name.startswith("data-") and value and " " in value.strip()]
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.texts.append(attributes.get("value") or "")

    def handle_endtag(self, tag):
        if self.quiet and tag == self.quiet[-1][0]:
            self.quiet[-1][1] -= 1
            if not self.quiet[-1][1]:
                self.quiet.pop()

    def handle_data(self, data):
        if not self.quiet:
            self.texts.append(data)
        elif self.quiet[-1][2]:
            self.data.append(data)


# What JSON for a page's script holds under these keys is read by the script, never shown.
CODE_KEYS = {"code", "sku", "slot", "image", "qr", "colour", "at"}


def _strings(value) -> list[str]:
    """The strings of JSON a script may show."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k not in CODE_KEYS for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@dataclass
class Page:
    who: str
    url: str
    status: int
    text: str  # what it shows, one string per piece
    words: str  # the words its scripts will show


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("zh-pages")
    app = create_app({"paths.var_dir": str(folder / "var"),
                      "database.url": f"sqlite:///{folder / 'test.db'}", "limits.enabled": False,
                      "consignment.unsold_days": 3,
                      # A receipt printer that does not answer: its jobs wait, and say why.
                      "printing.receipt_printer": f"tcp://127.0.0.1:{free_port()}"})
    app.config["TESTING"] = True
    migrate.upgrade(state(app).db.engine)
    centre = _build(app)
    read = []
    for who, client in centre.clients.items():
        for url in _urls(centre):
            answer = client.get(url, headers=ZH)
            assert answer.status_code < 500, (who, url, answer.status_code)
            if answer.mimetype != "text/html" or 300 <= answer.status_code < 400:
                continue  # a download, or a redirect's body no browser shows
            shown = _Shown()
            shown.feed(answer.get_data(as_text=True))
            data = list(shown.said)
            for block in shown.data:
                data += _strings(json.loads(block))
            read.append(Page(who, url, answer.status_code, "\n".join(shown.texts),
                             "\n".join(data)))
    yield centre, read
    state(app).db.dispose()


LATIN = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]")


# Addresses, and in what scripts read, markup they insert and {placeholders} they fill.
NOT_WORDS = re.compile(r"\S*/\S*|<[^>]*>|\{\w+\}|\d{4}-\d\d-\d\dT[\d:.+]+|#[0-9A-Fa-f]{6}\b")


def _without_names(text: str, names: list[str]) -> str:
    text = NOT_WORDS.sub(" ", text)
    for name in names:
        text = text.replace(name, " ")
    return text


def test_no_english_on_a_chinese_page(pages):
    centre, read = pages
    leaks: dict[tuple[str, str], set[str]] = {}
    for page in read:
        text = _without_names(page.text + "\n" + page.words, centre.names)
        for word in LATIN.findall(text):
            if word not in ALLOWED:
                leaks.setdefault((page.url, word), set()).add(page.who)
    assert leaks == {}, "\n".join(f"{url}: {word} ({', '.join(sorted(who))})"
                                   for (url, word), who in sorted(leaks.items()))


# An amount written as a bare number with two decimals, or in yuan spelt out; not a size or a
# weight (2.24 kg), which carries its unit.
BARE_AMOUNT = re.compile(r"(?<![￥\d.,])\d{1,3}(?:,\d{3})*\.\d\d(?![\d%])(?!\s*(?:kg|cm|mm|L|升))")
YUAN_SPELT = re.compile(r"[¥]|\d\s*元|[（(]元[)）]|\byuan\b")


# Pages whose two-decimal numbers are not money.
NOT_MONEY = {"/console/reports/velocity"}  # units sold a day


def test_amounts_are_written_with_the_full_width_yuan_sign(pages):
    centre, read = pages
    bare, spelt, signed = set(), set(), 0
    for page in read:
        text = _without_names(page.text + "\n" + page.words, centre.names)
        if page.url not in NOT_MONEY:
            bare |= {(page.url, amount) for amount in BARE_AMOUNT.findall(text)}
        spelt |= {(page.url, found) for found in YUAN_SPELT.findall(text)}
        signed += len(re.findall(r"(?<!-)￥\d{1,3}(?:,\d{3})*\.\d\d|-￥\d", text))
    assert bare == set()
    assert spelt == set()
    assert signed > 100  # amounts were shown, on many pages


def test_kilograms_are_kg_on_every_page(pages):
    centre, read = pages
    other_words = {(page.url, word) for page in read
                   for word in re.findall("千克|公斤", page.text + page.words)}
    assert other_words == set()
    shown = [page.url for page in read
             if re.search(r"(\d|\{kg\}) kg\b", page.text + page.words)]
    # The scan page of a cross-border product and the cross-border screen's words say kg.
    assert any(url.startswith("/S/") for url in shown)
    assert any(url == "/display/cross-border" for url in shown)


def test_things_are_named_名称_and_people_姓名(pages):
    centre, read = pages
    things = {"/console/products": "商品名称", "/console/factories": "工厂名称",
              "/console/displays": "屏幕名称"}
    people = {"/console/users", "/console/buyers", "/me"}
    shown = {page.url: page.text for page in read if page.status == 200}
    for url, word in things.items():
        assert word in shown[url] and "姓名" not in shown[url], url
    for url in people:
        assert "姓名" in shown[url], url
