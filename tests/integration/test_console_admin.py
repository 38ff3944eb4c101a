"""Factories, accounts and shelves in the console: tokens and secrets shown once, portal users,
staff accounts, slots; bad input refused with nothing changed, every change audited."""

import re

from sqlalchemy import func, select

from store_api.catalogue.models import ShelfSlot
from store_api.core import webhooks
from store_api.core.models import AuditLogEntry
from store_api.core.state import state
from store_api.factories.models import Factory
from store_api.staff.models import User
from store_api.stock.models import StockLocation
from tests.support.clients import sign_in

FACTORY = {"code": "NB-JJ", "name_zh": "宁波家居", "name_en": "Ningbo Home",
           "industrial_belt_zh": "宁波 家居", "industrial_belt_en": "Ningbo homeware",
           "contact_name": "陈", "contact_phone": "13900001234",
           "fulfilment_mode": "ships_itself", "dispatch_promise_hours": "48",
           "mixed_batch_min": "500"}


def _post(client, path, **data):
    return client.post(path, data={"csrf_token": client.csrf_token, **data})


def _audit(app) -> list[str]:
    with state(app).db.read_session() as session:
        return list(session.scalars(select(AuditLogEntry.action).order_by(AuditLogEntry.id)))


def test_an_admin_adds_and_edits_a_factory_by_the_catalogue_rules(sqlite_app):
    admin = sign_in(sqlite_app, "admin")
    bad = _post(admin, "/console/factories", **dict(FACTORY, dispatch_promise_hours="soon",
                                                     fulfilment_mode="teleport", name_zh=""))
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422
    for field in ("dispatch_promise_hours", "fulfilment_mode", "name_zh"):
        assert f'data-field="{field}"' in page
    assert _post(admin, "/console/factories", **FACTORY).status_code == 303
    again = _post(admin, "/console/factories", **FACTORY)
    assert again.status_code == 422 and "data-field=\"code\"" in again.get_data(as_text=True)
    edited = _post(admin, "/console/factories/NB-JJ", **dict(FACTORY, contact_name="林",
                                                              code="HACKED"))
    assert edited.status_code == 303
    with state(sqlite_app).db.read_session() as session:
        factory = session.scalar(select(Factory).where(Factory.code == "NB-JJ"))
        assert (factory.contact_name, factory.mixed_batch_min_fen) == ("林", 50000)
        assert session.scalar(select(func.count()).select_from(StockLocation).where(
            StockLocation.factory_id == factory.id)) == 1
        assert session.scalar(select(func.count()).select_from(Factory)) == 1
    assert _audit(sqlite_app) == ["factory.create", "factory.update"]


def test_a_token_and_a_webhook_secret_are_shown_once_and_work(sqlite_app):
    admin = sign_in(sqlite_app, "admin")
    _post(admin, "/console/factories", **FACTORY)
    issued = _post(admin, "/console/factories/NB-JJ/token")
    token = re.search(r'class="shown-once">([^<]+)<', issued.get_data(as_text=True)).group(1)
    assert issued.headers["Cache-Control"] == "no-store" and token.startswith("xpf.NB-JJ.")
    assert token not in admin.get("/console/factories/NB-JJ").get_data(as_text=True)
    api = sqlite_app.test_client()
    bearer = {"Authorization": f"Bearer {token}"}
    assert api.get("/api/v1/factory/forwards", headers=bearer).status_code == 200
    assert _post(admin, "/console/factories/NB-JJ/token/revoke").status_code == 303
    assert api.get("/api/v1/factory/forwards", headers=bearer).status_code == 401

    for url, hours, field in (("ftp://erp.example/h", "24", "url"),
                              ("http://[::1/h", "24", "url"),
                              ("https://erp.example/h", "9999", "keep_old_hours"),
                              ("https://erp.example/h", "x", "keep_old_hours")):
        refused = _post(admin, "/console/factories/NB-JJ/webhook", url=url,
                        keep_old_hours=hours)
        assert refused.status_code == 422
        assert f'class="problem" data-field="{field}"' in refused.get_data(as_text=True)
    first = _post(admin, "/console/factories/NB-JJ/webhook", url="https://erp.example/h",
                  keep_old_hours="24").get_data(as_text=True)
    secret = re.search(r'class="shown-once">([^<]+)<', first).group(1)
    second = _post(admin, "/console/factories/NB-JJ/webhook", url="https://erp.example/h2",
                   keep_old_hours="24").get_data(as_text=True)
    rotated = re.search(r'class="shown-once">([^<]+)<', second).group(1)
    key = sqlite_app.config["SECRET_KEY"]
    with state(sqlite_app).db.read_session() as session:
        factory = session.scalar(select(Factory).where(Factory.code == "NB-JJ"))
        assert webhooks.unseal(factory.webhook_secret_encrypted, key) == rotated != secret
        assert webhooks.unseal(factory.webhook_previous_secret_encrypted, key) == secret
        assert factory.webhook_url == "https://erp.example/h2"
    assert _post(admin, "/console/factories/NB-JJ/webhook/clear").status_code == 303
    with state(sqlite_app).db.read_session() as session:
        assert session.scalar(select(Factory.webhook_url)) is None
    assert _audit(sqlite_app)[1:] == ["factory.token.issue", "factory.token.revoke",
                                      "factory.webhook.set", "factory.webhook.set",
                                      "factory.webhook.clear"]
    with state(sqlite_app).db.read_session() as session:
        written = str([(e.before, e.after) for e in session.scalars(select(AuditLogEntry))])
    assert secret not in written and rotated not in written and token not in written


def test_portal_users_and_staff_accounts(sqlite_app):
    admin = sign_in(sqlite_app, "admin")
    _post(admin, "/console/factories", **FACTORY)
    for bad in ({"username": "Bad Name", "password": "long enough 1"},
                {"username": "nbjj", "password": "short"}):
        _post(admin, "/console/factories/NB-JJ/users", **bad)
    assert _post(admin, "/console/factories/NB-JJ/users", username="nbjj",
                 password="long enough 1").status_code == 303
    portal = sqlite_app.test_client()
    sqlite_app.config["WTF_CSRF_ENABLED"] = False
    signed = portal.post("/console/login", data={"username": "nbjj",
                                                 "password": "long enough 1"})
    assert signed.headers["Location"] == "/portal/"
    with state(sqlite_app).db.read_session() as session:
        user = session.scalar(select(User).where(User.username == "nbjj"))
        assert user.role == "factory" and user.factory.code == "NB-JJ"
    assert _post(admin, f"/console/users/{user.id}/active", active="no",
                 factory="NB-JJ").headers["Location"] == "/console/factories/NB-JJ"
    assert portal.get("/portal/", headers={"Accept": "text/html"}).status_code == 302

    for bad in ({"username": "ok-name", "role": "factory", "password": "long enough 1"},
                {"username": "ok-name", "role": "owner", "password": "long enough 1"}):
        _post(admin, "/console/users", **bad)
    assert _post(admin, "/console/users", username="mei", role="manager",
                 password="long enough 2").status_code == 303
    with state(sqlite_app).db.read_session() as session:
        roles = dict(session.execute(select(User.username, User.role)).all())
        me = session.scalar(select(User.id).where(User.username == "admin-user"))
        mei = session.scalar(select(User.id).where(User.username == "mei"))
    assert roles == {"admin-user": "admin", "nbjj": "factory", "mei": "manager"}
    stopped_self = _post(admin, f"/console/users/{me}/active", active="no")
    assert stopped_self.status_code == 303
    assert admin.get("/console/users").status_code == 200  # still signed in and active
    _post(admin, f"/console/users/{mei}/password", password="another pass 3")
    fresh = sqlite_app.test_client()
    assert fresh.post("/console/login", data={"username": "mei", "password":
                                              "another pass 3"}).status_code == 303
    assert _audit(sqlite_app) == ["factory.create", "user.create", "user.deactivate",
                                  "user.create", "user.password"]


def test_shelves_add_assign_move_and_retire_slots(sqlite_app, make_product):
    db = state(sqlite_app).db
    with db.unit_of_work() as session:
        cup = make_product(session)[0]
        lamp = make_product(session, zone="streamer")[0]
        cup_sku, cup_slot, lamp_sku, lamp_slot = cup.sku, cup.slot.code, lamp.sku, lamp.slot.code
    manager = sign_in(sqlite_app, "manager")
    for aisle, shelf, position in (("", "1", "1"), ("A B", "1", "1"), ("C", "0", "1"),
                                   ("C", "1", "x"), ("C", "1", "1000")):
        _post(manager, "/console/shelves", zone="bestseller", aisle=aisle, shelf=shelf,
              position=position)
    assert _post(manager, "/console/shelves", zone="bestseller", aisle="c", shelf="2",
                 position="5").status_code == 303
    with db.read_session() as session:
        new = session.scalar(select(ShelfSlot).where(ShelfSlot.aisle == "C"))
        assert (new.shelf, new.position, new.product_id) == (2, 5, None)
        assert session.scalar(select(func.count()).select_from(ShelfSlot)) == 3
        new_code = new.code
    page = manager.get("/console/shelves?zone=bestseller").get_data(as_text=True)
    assert f'data-slot="{new_code}"' in page
    _post(manager, f"/console/shelves/{new_code}/product", sku=lamp_sku, zone="bestseller")
    refused = manager.post(f"/console/shelves/{new_code}/product", follow_redirects=True,
                           data={"csrf_token": manager.csrf_token, "sku": cup_sku})
    assert "error-message" in refused.get_data(as_text=True)
    retire_full = manager.post(f"/console/shelves/{cup_slot}/retire", follow_redirects=True,
                               data={"csrf_token": manager.csrf_token})
    assert "error-message" in retire_full.get_data(as_text=True)
    _post(manager, f"/console/shelves/{lamp_slot}/retire")
    with db.read_session() as session:
        slots = {s.code: s for s in session.scalars(select(ShelfSlot))}
        assert slots[new_code].product.sku == lamp_sku
        assert (slots[lamp_slot].product_id, slots[lamp_slot].status) == (None, "retired")
        assert slots[cup_slot].product.sku == cup_sku
    assert _audit(sqlite_app) == ["slot.create", "slot.assign", "slot.retire"]
    staff = sign_in(sqlite_app, "staff")
    assert staff.get("/console/shelves").status_code == 200
    assert _post(staff, f"/console/shelves/{new_code}/product", sku="").status_code == 403


PRIVATE = {"http://127.0.0.1:8080/hooks": "127.0.0.1 是回环地址",
           "http://169.254.169.254/latest/meta-data": "169.254.169.254 是链路本地地址",
           "http://10.0.0.1/erp": "10.0.0.1 是内网地址",
           "https://localhost/hooks": "localhost (127.0.0.1) 是回环地址",
           "http://[::1]:9000/hooks": "::1 是回环地址",
           "http://0.0.0.0/hooks": "0.0.0.0 是未指定地址"}


def test_a_webhook_to_a_private_address_is_refused_on_its_field_unless_allowed(make_app):
    strict = make_app()
    admin = sign_in(strict, "admin")
    _post(admin, "/console/factories", **FACTORY)
    for url, complaint in PRIVATE.items():
        refused = _post(admin, "/console/factories/NB-JJ/webhook", url=url, keep_old_hours="24")
        page = refused.get_data(as_text=True)
        assert refused.status_code == 422, url
        field = page.split('data-field="url">')[1].split("</em>")[0]
        assert complaint in field and "fulfilment.allow_private_webhooks" in field, url
        assert f'value="{url}"' in page  # what was typed stays in the field
    with state(strict).db.read_session() as session:
        assert session.scalar(select(Factory.webhook_url)) is None
    assert _audit(strict) == ["factory.create"]

    # A factory ERP on the centre's own network, where the setting allows it.
    lan = make_app(**{"fulfilment.allow_private_webhooks": True})
    lan_admin = sign_in(lan, "admin", username="lan-admin")
    for url in PRIVATE:
        saved = _post(lan_admin, "/console/factories/NB-JJ/webhook", url=url,
                      keep_old_hours="24")
        assert saved.status_code == 200 and 'class="shown-once"' in saved.get_data(as_text=True)
        with state(lan).db.read_session() as session:
            assert session.scalar(select(Factory.webhook_url)) == url
