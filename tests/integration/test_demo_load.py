"""The demo centre loads whole, loads once, and a bad file writes nothing and says where."""

import re
import shutil

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from store_api.catalogue.models import Product, ShelfSlot
from store_api.cli import main
from store_api.core.errors import CatalogueError
from store_api.core.state import state
from store_api.demo.centre import demo_dir
from store_api.factories.models import Factory
from store_api.staff.models import User
from store_api.stock import inventory
from store_api.stock.models import StockLevel, StockLocation
from tests.support.centre import load, row_counts


def test_demo_centre_is_a_whole_centre(app):
    result = load(app)
    assert result.factories >= 8 and result.products >= 60
    with state(app).db.read_session() as session:
        modes = set(session.scalars(select(Factory.fulfilment_mode)))
        assert modes == {"ships_itself", "stocks_centre"}
        per_zone = dict(session.execute(
            select(ShelfSlot.zone_id, func.count()).group_by(ShelfSlot.zone_id)).all())
        assert len(per_zone) == 3 and min(per_zone.values()) >= 10
        products = list(session.scalars(select(Product)))
        assert all(p.slot is not None and p.images for p in products)
        assert all({t.member_level for t in p.price_tiers} == {"standard", "silver", "gold"}
                   for p in products)
        kinds = set(session.scalars(
            select(StockLocation.kind).join(StockLevel).where(StockLevel.on_hand > 0)))
        assert kinds == {"centre", "factory"}
        portal_users = session.scalar(select(func.count()).where(User.role == "factory"))
        assert portal_users == result.factories
        assert inventory.check_ledger(session) == []
    for product in products:
        assert (state(app).media_dir / product.images[0].path).read_text().startswith("<svg")


def test_loading_twice_changes_nothing(app):
    load(app)
    before = row_counts(app)
    again = load(app)
    assert (again.factories, again.products, again.logins) == (0, 0, {})
    assert row_counts(app) == before


BAD_EDITS = {
    "tier inversion": (
        "products.toml",
        'standard = [[12, 26.80], [60, 24.90], [240, 23.00]]',
        'standard = [[12, 26.80], [60, 27.90], [240, 23.00]]',
        r"products\.toml row 1 \(sku TZ-HY-001\), field price_ladder\.standard\[2\]\.unit_price",
    ),
    "negative stock": (
        "products.toml",
        "centre_stock = 72\n",
        "centre_stock = -5\n",
        r"products\.toml row 1 \(sku TZ-HY-001\), field centre_stock",
    ),
    "unknown factory": (
        "products.toml",
        'factory = "YK-BL"',
        'factory = "YK-XX"',
        r"products\.toml row 8 \(sku YK-BL-001\), field factory: .*YK-XX",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_EDITS))
@pytest.mark.parametrize("locale, word", [("en", "field"), ("zh_CN", "字段")])
def test_a_bad_row_fails_the_load_by_row_and_field_and_writes_nothing(
    make_app, tmp_path, case, locale, word
):
    app = make_app(**{"i18n.default_locale": locale})
    file_name, old, new, where = BAD_EDITS[case]
    folder = tmp_path / "bad"
    shutil.copytree(demo_dir(), folder)
    text = (folder / file_name).read_text("utf-8")
    assert old in text
    (folder / file_name).write_text(text.replace(old, new, 1), "utf-8")
    before = row_counts(app)

    with app.app_context(), pytest.raises(CatalogueError) as caught:
        load(app, folder)
    with app.app_context():
        message = str(caught.value)
    if locale == "en":
        assert re.search(where, message), message
    assert word in message
    assert row_counts(app) == before
    assert not (state(app).media_dir / "demo").exists()


def test_demo_command_reports_the_problem_and_exits_non_zero(tmp_path, monkeypatch):
    folder = tmp_path / "bad"
    shutil.copytree(demo_dir(), folder)
    path = folder / "products.toml"
    path.write_text(path.read_text("utf-8").replace("moq = 12\n", "moq = 10\n", 1), "utf-8")
    monkeypatch.setenv("XUANPIN_PATHS_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("XUANPIN_I18N_DEFAULT_LOCALE", "en")
    runner = CliRunner()
    assert runner.invoke(main, ["init"]).exit_code == 0
    result = runner.invoke(main, ["demo", "--path", str(folder)])
    assert result.exit_code == 1
    assert "row 1 (sku TZ-HY-001), field moq: must be a multiple of the case pack (12)" in (
        result.output)
    result = runner.invoke(main, ["demo"])
    assert result.exit_code == 0 and "63 products added" in result.output
    assert runner.invoke(main, ["demo", "--if-empty"]).output.startswith("catalogue already")
    assert runner.invoke(main, ["check"]).exit_code == 0
