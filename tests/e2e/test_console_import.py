"""A manager in real Chromium: signs in, imports a sheet whose one bad row the dry run names
(and nothing is written), fixes it, applies, prints labels for what changed, receives stock
for the new product, and sees that stock on the product's scan page."""

import csv
import io
import sqlite3
import time

from playwright.sync_api import expect

from tests.support.browser import screenshot


def _sheet(path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text("utf-8-sig"))))


def _write(rows: list[dict], path) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _count(server, sql: str, *args) -> int:
    with sqlite3.connect(server.var / "xuanpin.db") as db:
        return db.execute(sql, args).fetchone()[0]


def test_import_fix_apply_label_receive_and_scan(live_server, desk, phone, tmp_path):
    base = live_server.url
    desk.goto(f"{base}/console/login")
    desk.fill("input[name=username]", "manager")
    desk.fill("input[name=password]", live_server.logins["manager"])
    desk.get_by_role("button", name="登录").click()
    desk.wait_for_url(f"{base}/console/counter")

    desk.get_by_role("link", name="商品", exact=True).click()
    with desk.expect_download() as download:
        desk.get_by_role("link", name="导出 CSV").click()
    exported = tmp_path / "export.csv"
    download.value.save_as(exported)
    rows = _sheet(exported)
    assert len(rows) == 63

    rows[0]["name_zh"] = rows[0]["name_zh"] + "（新包装）"
    new = dict(rows[1], sku="E2E-NEW-01", name_zh="端到端新品 保温杯", name_en="E2E new cup",
               zone="streamer", slot="E-1-1", case_pack="7")  # the MOQ is not a number of 7s
    rows.append(new)
    sheet = tmp_path / "edit.csv"
    _write(rows, sheet)

    desk.get_by_role("link", name="导入表格").click()
    desk.set_input_files("input[name=sheet]", str(sheet))
    desk.get_by_role("button", name="检查（试运行）").click()
    problems = desk.locator("table.problems tbody tr")
    expect(problems).to_have_count(1)  # the bad row, and nothing else
    assert problems.get_attribute("data-row") == "65" and "moq" in problems.inner_text()
    expect(desk.locator("form.apply-form")).to_have_count(0)
    screenshot(desk, "console-import-dry-run")
    assert _count(live_server, "SELECT count(*) FROM products WHERE sku = 'E2E-NEW-01'") == 0
    assert _count(live_server, "SELECT count(*) FROM products WHERE name_zh LIKE '%新包装%'") == 0

    new["case_pack"] = rows[1]["case_pack"]
    _write(rows, sheet)
    desk.set_input_files("input[name=sheet]", str(sheet))
    desk.get_by_role("button", name="检查（试运行）").click()
    expect(desk.locator("tr[data-sku='E2E-NEW-01']")).to_have_count(1)
    desk.get_by_role("button", name="应用").click()
    desk.wait_for_selector("section.plan[data-applied='yes']")
    assert _count(live_server, "SELECT count(*) FROM products WHERE sku = 'E2E-NEW-01'") == 1

    desk.get_by_role("link", name="为有改动的商品打印标签").click()
    codes = desk.locator("textarea[name=codes]").input_value().split()
    assert len(codes) == 2
    desk.get_by_role("button", name="下载 PDF").click()
    desk.wait_for_selector("a.download", timeout=30_000)
    printed = _count(live_server, "SELECT count(*) FROM printed_labels WHERE slot_id IN "
                     "(SELECT id FROM shelf_slots WHERE code IN (?, ?))", *codes)
    assert printed == 2

    with sqlite3.connect(live_server.var / "xuanpin.db") as db:
        slot = db.execute("SELECT s.code FROM shelf_slots s JOIN products p ON p.id = "
                          "s.product_id WHERE p.sku = 'E2E-NEW-01'").fetchone()[0]
    desk.get_by_role("link", name="收货").click()
    desk.get_by_label("货位码、标签或 SKU").fill(slot)
    desk.get_by_label("货位码、标签或 SKU").press("Enter")  # as a scanner ends a code
    desk.get_by_label("到货件数").fill("48")
    desk.get_by_role("button", name="收货", exact=True).click()
    expect(desk.locator(".notice-message")).to_contain_text("E2E-NEW-01")
    screenshot(desk, "console-receiving")

    phone.goto(f"{base}/s/{slot}")
    expect(phone.locator("h1")).to_contain_text("端到端新品")
    expect(phone.locator("li.source-centre")).to_contain_text("48")

    # Scans reach the database in batches; wait for the phone's before reading the report.
    deadline = time.monotonic() + 60
    while not _count(live_server, "SELECT count(*) FROM scan_events e JOIN shelf_slots s "
                     "ON s.id = e.slot_id WHERE s.code = ?", slot):
        assert time.monotonic() < deadline, "the scan never reached the database"
        time.sleep(0.1)
    desk.goto(f"{base}/console/reports/conversion")
    leaders = desk.locator("section.report-section").first
    assert "E2E-NEW-01" in leaders.inner_text()  # scanned, never ordered
    assert desk.locator("svg.chart").count() == 3
    screenshot(desk, "console-report-conversion")
