"""Label PDF speed: 1,000 labels on A4 sheets, beside the same layout with the QR left out, in
one process and in 2 and 4 processes rendering a batch each at once.

    .venv/bin/python benchmarks/labels_pdf.py [--labels 1000] [--template a4-3x8] [--workers 1 2 4]

Each batch has distinct slot codes (so no QR matrix is reused); each run is timed three times and
the best time counts. Needs the CJK font of `labels.font_path`.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from shelf_labels.codes import new_code  # noqa: E402
from shelf_labels.layout import LabelData  # noqa: E402
from shelf_labels.pdf import render_pdf  # noqa: E402
from shelf_labels.qr import pdf_path, runs, slot_url  # noqa: E402
from store_api.core.settings import load_settings  # noqa: E402
from store_api.printing.labels import templates  # noqa: E402


def render(seed: int, count: int, template_name: str, with_qr: bool) -> None:
    """Render one batch of labels with codes of their own, as a label job does."""
    rng = random.Random(seed)
    labels = [LabelData(name="316不锈钢保温杯 500毫升",
                        ladder=[(24, 2800), (120, 2600), (480, 2410)], moq=24, case_pack=24,
                        zone_name="爆款区", zone_colour="#D7263D",
                        slot_text="A-1-1 · X", printed_on=date(2026, 11, 22),
                        url=slot_url("http://192.168.1.10:8000", new_code(rng.getrandbits)))
              for _ in range(count)]
    runs.cache_clear()
    pdf_path.cache_clear()
    render_pdf(labels, templates()[template_name],
               font_path=Path(load_settings()["labels.font_path"]), with_qr=with_qr)


def best(pool: ProcessPoolExecutor, workers: int, args, with_qr: bool) -> float:
    """The best of three wall times for `workers` batches rendered at once."""
    times = []
    for attempt in range(3):
        seeds = [1000 * attempt + n + (500 if with_qr else 0) for n in range(workers)]
        started = time.perf_counter()
        list(pool.map(render, seeds, [args.labels] * workers, [args.template] * workers,
                      [with_qr] * workers))
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--labels", type=int, default=1000)
    parser.add_argument("--template", default="a4-3x8")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    print("| run | processes | labels | seconds | labels/s | with QR / without |")
    print("|---|---|---|---|---|---|")
    for workers in args.workers:
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(render, range(workers), [10] * workers, [args.template] * workers,
                          [True] * workers))  # start the processes and load the font
            without, with_qr = best(pool, workers, args, False), best(pool, workers, args, True)
        labels = args.labels * workers
        print(f"| without QR (floor) | {workers} | {labels} | {without:.2f} | "
              f"{labels / without:.0f} | |")
        print(f"| with QR | {workers} | {labels} | {with_qr:.2f} | {labels / with_qr:.0f} | "
              f"{with_qr / without:.2f} × |")


if __name__ == "__main__":
    main()
