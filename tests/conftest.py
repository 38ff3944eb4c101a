"""Fixtures shared by every test: apps on SQLite or PostgreSQL, real Redis, catalogue builders."""

from __future__ import annotations

import itertools
import secrets
import uuid

import pytest
from sqlalchemy import select

from shelf_labels.codes import new_code
from store_api import create_app
from store_api.catalogue.models import PriceTier, Product, ShelfSlot, Zone
from store_api.catalogue.zones import sync_zones
from store_api.core import migrate
from store_api.core.clock import CLOCK
from store_api.core.state import state
from store_api.factories.models import Factory
from store_api.stock.locations import centre_location, factory_location
from tests.support.services import PostgresServer, RedisServer


@pytest.fixture(autouse=True)
def _clock_runs_again():
    """Whatever a test held the store's clock at, the next test starts with it running."""
    yield
    CLOCK.now = None


@pytest.fixture(scope="session")
def postgres_server():
    server = PostgresServer()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_server():
    server = RedisServer()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """An empty database of each kind; PostgreSQL tests skip or fail without a server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    server = request.getfixturevalue("postgres_server")
    return server.create_database(f"t_{uuid.uuid4().hex[:12]}")


def _make_app(tmp_path, database_url, **overrides):
    # Rate limits count per address, and every test client is 127.0.0.1: they are on only
    # where a test turns them on to check them.
    app = create_app({"paths.var_dir": str(tmp_path / "var"), "database.url": database_url,
                      "limits.enabled": False, **overrides})
    app.config["TESTING"] = True
    migrate.upgrade(state(app).db.engine)
    with state(app).db.unit_of_work() as session:
        sync_zones(session)
    return app


@pytest.fixture
def app_settings():
    """Settings the `app` and `sqlite_app` of a module are built with; a module whose tests
    need others overrides this fixture."""
    return {}


@pytest.fixture
def app(tmp_path, database_url, app_settings):
    """The store server on a migrated, empty database of each kind."""
    app = _make_app(tmp_path, database_url, **app_settings)
    yield app
    state(app).db.dispose()


@pytest.fixture
def sqlite_app(tmp_path, app_settings):
    """The store server on a migrated, empty SQLite database."""
    app = _make_app(tmp_path, f"sqlite:///{tmp_path / 'test.db'}", **app_settings)
    yield app
    state(app).db.dispose()


@pytest.fixture
def make_app(tmp_path):
    """Build an app with more settings overridden; the database is SQLite under tmp_path."""
    built = []

    def make(**overrides):
        app = _make_app(tmp_path, f"sqlite:///{tmp_path / 'test.db'}", **overrides)
        built.append(app)
        return app

    yield make
    for app in built:
        state(app).db.dispose()


@pytest.fixture
def db(app):
    return state(app).db


_numbers = itertools.count(1)


@pytest.fixture
def make_product():
    """Return a function that creates a factory, a product with a ladder, and a slot."""

    def make(session, *, moq=1, case_pack=1, zone="bestseller", name_zh="测试保温杯",
             ladder=((1, 1000), (10, 900))):
        n = next(_numbers)
        factory = Factory(
            code=f"F{n}", name_zh=f"测试工厂{n}", name_en=f"Test factory {n}",
            industrial_belt_zh="永康 杯业", industrial_belt_en="Yongkang cups",
            contact_name="王", contact_phone="13800000000", fulfilment_mode="ships_itself",
            dispatch_promise_hours=48,
        )
        product = Product(
            sku=f"SKU-{n}", factory=factory, name_zh=name_zh, name_en=f"Test cup {n}",
            supply_price_fen=500, moq=moq, case_pack=case_pack,
            price_tiers=[PriceTier(member_level="standard", min_quantity=q, unit_price_fen=p)
                         for q, p in ladder],
        )
        zone_row = session.scalar(select(Zone).where(Zone.code == zone))
        product.slot = ShelfSlot(code=new_code(secrets.randbits), zone=zone_row,
                                 aisle="A", shelf=1, position=n)
        session.add(product)
        session.flush()
        return product, centre_location(session), factory_location(session, factory)

    return make




@pytest.fixture
def worker_clock(monkeypatch):
    """Hold the store's clock still and the worker's jitter at nought, so retry delays are
    exact. Returns the clock; tests move it by setting `worker_clock.now`."""
    from datetime import UTC, datetime

    import store_api.core.worker as worker

    CLOCK.now = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)
    monkeypatch.setattr(worker.random, "uniform", lambda low, high: 0.0)
    return CLOCK


@pytest.fixture
def consignment(app, make_product):
    """Two factories, each with a forwarded order, an API token and a portal login."""
    from tests.support.consignment import build

    return build(app, make_product)
