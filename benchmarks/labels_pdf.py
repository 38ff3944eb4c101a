"""Label PDF speed: 1,000 labels on A4 sheets, beside the same layout with the QR left out.

    .venv/bin/python benchmarks/labels_pdf.py [--labels 1000] [--template a4-3x8]

Each run renders distinct slot codes (so no QR matrix is reused) and is timed three times; the
best time counts. Needs the CJK font of `labels.font_path`.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from shelf_labels.codes import new_code  # noqa: E402
from shelf_labels.layout import LabelData  # noqa: E402
from shelf_labels.pdf import render_pdf  # noqa: E402
from shelf_labels.qr import pdf_path, runs, slot_url  # noqa: E402
from store_api.services.labels import templates  # noqa: E402
from store_api.settings import load_settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--labels", type=int, default=1000)
    parser.add_argument("--template", default="a4-3x8")
    args = parser.parse_args()
    font = Path(load_settings()["labels.font_path"])
    template = templates()[args.template]

    def batch(seed: int) -> list[LabelData]:
        rng = random.Random(seed)
        return [LabelData(name="316不锈钢保温杯 500毫升", ladder=[(24, 2800), (120, 2600),
                                                            (480, 2410)],
                          moq=24, case_pack=24, zone_name="爆款区", zone_colour="#D7263D",
                          slot_text="A-1-1 · X", printed_on=date(2026, 11, 22),
                          url=slot_url("http://192.168.1.10:8000", new_code(rng.getrandbits)))
                for _ in range(args.labels)]

    def best(with_qr: bool) -> float:
        times = []
        for attempt in range(3):
            labels = batch(attempt + (100 if with_qr else 0))
            runs.cache_clear()
            pdf_path.cache_clear()
            started = time.perf_counter()
            render_pdf(labels, template, font_path=font, with_qr=with_qr)
            times.append(time.perf_counter() - started)
        return min(times)

    without, with_qr = best(False), best(True)
    print("| run | labels | seconds | labels/s |")
    print("|---|---|---|---|")
    print(f"| without QR (floor) | {args.labels} | {without:.2f} | {args.labels / without:.0f} |")
    print(f"| with QR | {args.labels} | {with_qr:.2f} | {args.labels / with_qr:.0f} |")
    print(f"\nwith QR / without: {with_qr / without:.2f}×")


if __name__ == "__main__":
    main()
