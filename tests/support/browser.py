"""Helpers of the browser tests: screenshots, and products a demo centre can sell."""

from __future__ import annotations

import math
import sqlite3
from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def phone_context(browser):
    """A browser context the size of a phone, in Chinese: one buyer's phone."""
    return browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2,
                               locale="zh-CN", is_mobile=True, has_touch=True)


def screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """Save a screenshot (of the whole page, or what the screen shows) under var/screenshots
    and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def pick_products(var, zone: str | None = None):
    """A product the centre stocks, and one only its factory holds (shelved in a zone, if
    given), each with an order size that honours MOQ, case pack and the factory's mixed-batch
    minimum."""
    db = sqlite3.connect(var / "xuanpin.db")
    rows = db.execute("""
        SELECT s.code, p.moq, p.case_pack, f.mixed_batch_min_fen, t.unit_price_fen,
               SUM(CASE WHEN l.kind = 'centre' THEN v.on_hand - v.reserved ELSE 0 END),
               SUM(CASE WHEN l.kind = 'factory' THEN v.on_hand - v.reserved ELSE 0 END)
        FROM products p JOIN shelf_slots s ON s.product_id = p.id
        JOIN factories f ON f.id = p.factory_id
        JOIN price_tiers t ON t.product_id = p.id AND t.member_level = 'standard'
             AND t.min_quantity = p.moq
        JOIN stock_levels v ON v.product_id = p.id JOIN stock_locations l ON l.id = v.location_id
        JOIN zones z ON z.id = s.zone_id WHERE ? IS NULL OR z.code = ?
        GROUP BY p.id ORDER BY p.id""", (zone, zone)).fetchall()
    chosen = {}
    for code, moq, pack, minimum, price, centre, factory in rows:
        quantity = max(moq, math.ceil(minimum / price / pack) * pack)
        if "centre" not in chosen and centre >= quantity + pack:
            chosen["centre"] = (code, quantity, pack)
        if "factory" not in chosen and centre == 0 and factory >= quantity:
            chosen["factory"] = (code, quantity, pack)
    return chosen["centre"], chosen["factory"]
