"""Catalogue import speed: 5,000 new products from CSV, dry run and apply, beside the floor of
reading the same file and bulk-inserting the same rows with no checks.

    .venv/bin/python benchmarks/catalogue_import.py [--products 5000] [--database-url URL]

Runs on a fresh SQLite database under a temporary folder (or the PostgreSQL database given,
which must be empty) holding the demo centre's factories and zones. Times:
the dry run through the console page (upload, checks, the page listing every row), the
apply (one transaction, an audit entry per product), a second apply changing every price,
and the floor. Each dry run is best of three; applies run once, as they write.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert, select  # noqa: E402

from shelf_labels.codes import new_code  # noqa: E402
from store_api import create_app  # noqa: E402
from store_api.catalogue import sheet_import, sheets  # noqa: E402
from store_api.catalogue.models import PriceTier, Product, ShelfSlot, Zone  # noqa: E402
from store_api.core import audit, migrate  # noqa: E402
from store_api.core.state import state  # noqa: E402
from store_api.demo.centre import load_demo  # noqa: E402
from store_api.factories.models import Factory  # noqa: E402
from store_api.staff.models import User  # noqa: E402


def sheet(n: int, factories: list[str], zones: list[str], levels: list[str],
          price_offset: int = 0) -> bytes:
    """n products spread over the factories and zones, each on its own slot."""
    header = sheets.columns(levels)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header)
    writer.writeheader()
    for i in range(n):
        price = 1000 + i % 500 + price_offset
        ladder = "; ".join(f"{q}:{(price - step * 40) / 100:.2f}"
                           for step, q in enumerate((12, 60, 240)))
        writer.writerow({
            "sku": f"BENCH-{i:05d}", "factory": factories[i % len(factories)],
            "name_zh": f"压测商品 {i} 号 保温杯", "name_en": f"Bench product {i}",
            "category": "kitchen", "zone": zones[i % len(zones)],
            "slot": f"X{i // 1000}-{i // 50 % 20 + 1}-{i % 50 + 1}",
            "supply_price": f"{(price - 300) / 100:.2f}", "moq": "12", "case_pack": "6",
            f"price_{levels[0]}": ladder, "suggested_retail": f"{price * 2 / 100:.2f}",
            "suits": "shop;streamer", "foldable": "no", "packed_cm": "30x20x10",
            "weight_g": "450", "sample_available": "yes", "dropship_allowed": "no",
            "status": "active"})
    return out.getvalue().encode("utf-8")


def floor(app, data: bytes, levels: list[str]) -> float:
    """Read the CSV and insert the same products, tiers and slots with no checks at all."""
    db = state(app).db
    started = time.perf_counter()
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    with db.unit_of_work() as session:
        factories = {f.code: f.id for f in session.scalars(select(Factory))}
        zones = {z.code: z.id for z in session.scalars(select(Zone))}
        session.execute(insert(Product), [{
            "sku": "F" + r["sku"], "factory_id": factories[r["factory"]], "name_zh": r["name_zh"],
            "name_en": r["name_en"], "category": r["category"], "moq": int(r["moq"]),
            "case_pack": int(r["case_pack"]),
            "supply_price_fen": int(round(float(r["supply_price"]) * 100)),
            "suits_business_types": r["suits"].split(";")} for r in rows])
        ids = dict(session.execute(select(Product.sku, Product.id)
                                   .where(Product.sku.like("FBENCH-%"))).all())
        session.execute(insert(PriceTier), [
            {"product_id": ids["F" + r["sku"]], "member_level": levels[0],
             "min_quantity": int(q), "unit_price_fen": int(round(float(p) * 100))}
            for r in rows for q, p in (t.split(":") for t in r[f"price_{levels[0]}"].split("; "))])
        session.execute(insert(ShelfSlot), [
            {"code": new_code(secrets.randbits), "zone_id": zones[r["zone"]],
             "aisle": "F" + r["slot"].split("-")[0], "shelf": int(r["slot"].split("-")[1]),
             "position": int(r["slot"].split("-")[2]), "product_id": ids["F" + r["sku"]]}
            for r in rows])
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=5000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="xuanpin-import-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.db'}"
    app = create_app({"paths.var_dir": str(folder / "var"), "database.url": url,
                      "log.level": "warning", "console.import_max_bytes": 64 * 1024 * 1024})
    settings = state(app).settings
    levels, types = settings.catalogue.member_levels, settings.catalogue.business_types
    migrate.upgrade(state(app).db.engine)
    with state(app).db.unit_of_work() as session:
        load_demo(session, media_dir=state(app).media_dir, member_levels=levels,
                  business_types=types)
        factories = sorted(session.scalars(select(Factory.code)))
        zones = sorted(session.scalars(select(Zone.code)))
        manager = User(username="bench", display_name="bench", role="manager")
        manager.set_password("bench-pass-01")
        session.add(manager)
    data = sheet(args.products, factories, zones, levels)

    app.config["WTF_CSRF_ENABLED"] = False
    client = app.test_client()
    client.post("/console/login", data={"username": "bench", "password": "bench-pass-01"})

    def dry_run_page() -> tuple[float, str]:
        started = time.perf_counter()
        page = client.post("/console/products/import",
                           data={"sheet": (io.BytesIO(data), "bench.csv")})
        elapsed = time.perf_counter() - started
        assert page.status_code == 200, page.status_code
        return elapsed, re.search(r'name="stored" value="([^"]+)"', page.text).group(1)

    dry = [dry_run_page() for _ in range(3)]
    started = time.perf_counter()
    applied = client.post("/console/products/import/apply",
                          data={"stored": dry[0][1], "name": "bench.csv"})
    apply_seconds = time.perf_counter() - started
    assert applied.status_code == 200 and 'data-applied="yes"' in applied.text

    repriced = sheet(args.products, factories, zones, levels, price_offset=10)
    rows = sheets.read_sheet("bench.csv", repriced, levels)
    started = time.perf_counter()
    plan = sheet_import.apply(state(app).db, "bench.csv", rows, member_levels=levels,
                              business_types=types, actor=audit.Actor(None, "bench"))
    update_seconds = time.perf_counter() - started
    assert plan.count("changed") == args.products
    floor_seconds = floor(app, data, levels)

    n = args.products
    print(f"database: {url.split(':')[0]}, {n} products")
    print("| run | seconds | products/s |")
    print("|---|---|---|")
    print(f"| floor: read the CSV, bulk-insert the same rows, no checks | {floor_seconds:.2f} | "
          f"{n / floor_seconds:.0f} |")
    best = min(seconds for seconds, _ in dry)
    print(f"| dry run through the console page (upload, every check, the page) | {best:.2f} | "
          f"{n / best:.0f} |")
    print(f"| apply: {n} new products, slots, ladders, audit entries, one transaction | "
          f"{apply_seconds:.2f} | {n / apply_seconds:.0f} |")
    print(f"| apply again with every price changed | {update_seconds:.2f} | "
          f"{n / update_seconds:.0f} |")


if __name__ == "__main__":
    main()
