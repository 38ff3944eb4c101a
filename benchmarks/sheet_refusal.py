"""Refusing a catalogue workbook past the row limit: 30,000 products in an XLSX written a row
at a time (no dimension record, inline strings, as openpyxl's write-only mode and many exports
write it), beside its floor of only decompressing the sheet's XML, and beside openpyxl merely
opening the same workbook read-only, which the import no longer waits for.

    .venv/bin/python benchmarks/sheet_refusal.py [--rows 30000]

Each is timed five times; the best wall and CPU times count.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from openpyxl import Workbook, load_workbook  # noqa: E402

from store_api.catalogue import sheets  # noqa: E402

LEVELS = ["standard", "silver", "gold"]


def workbook(rows: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("products")
    sheet.append(sheets.columns(LEVELS))
    for n in range(1, rows + 1):
        sheet.append([f"BIG-{n:05d}", "F1", "大表商品", "Big sheet product", "", "bestseller",
                      f"B-{n // 100 + 1}-{n % 100 + 1}", "8.00", "1", "1", "1:12.50"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def refuse(data: bytes) -> None:
    try:
        sheets.read_sheet("big.xlsx", data, LEVELS)
    except sheets.SheetError:
        return
    raise SystemExit("the workbook was not refused")


def unzip(data: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.read("xl/worksheets/sheet1.xml")


def open_only(data: bytes) -> None:
    load_workbook(io.BytesIO(data), read_only=True, data_only=True).close()


def best(run, data: bytes) -> tuple[float, float]:
    walls, cpus = [], []
    for _ in range(5):
        wall, cpu = time.perf_counter(), time.process_time()
        run(data)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return min(walls), min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=30_000)
    rows = parser.parse_args().rows
    data = workbook(rows)
    print(f"{rows} rows, {len(data) / 1e6:.1f} MB")
    print("| run | wall s | CPU s |\n|---|---|---|")
    for label, run in (("floor: decompress the sheet's XML", unzip),
                       ("refuse through sheets.read_sheet", refuse),
                       ("openpyxl opening it read-only", open_only)):
        wall, cpu = best(run, data)
        print(f"| {label} | {wall:.2f} | {cpu:.2f} |")


if __name__ == "__main__":
    main()
