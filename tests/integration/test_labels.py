"""Shelf labels: every QR decodes, fonts are embedded, nothing leaves its box, stale tracking."""

import functools
import io
import random
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
import zxingcpp
from click.testing import CliRunner
from PIL import Image
from sqlalchemy import func, select

from shelf_labels.codes import new_code
from shelf_labels.layout import NAME_MIN_PT, QUIET_MODULES, LabelData, lay_out
from shelf_labels.pdf import FONT, pdf_to_png, register_font, render_pdf
from shelf_labels.qr import slot_url
from store_api.catalogue.models import PriceTier, Product
from store_api.cli import main
from store_api.core.state import state
from store_api.printing import labels
from store_api.printing.models import PrintJob
from tests.support.centre import load
from tests.support.clients import staff_client
from tests.support.phone_camera import Shot, photograph
from tests.support.services import unavailable

FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
TEMPLATES = labels.templates()
LONG_NAME = "超长商品名称测试" * 5  # 40 Chinese characters


@pytest.fixture(scope="module")
def tools():
    if not FONT_PATH.exists():
        unavailable("CJK label font missing (Debian package fonts-wqy-zenhei)")
    for tool in ("pdftoppm", "pdffonts"):
        if shutil.which(tool) is None:
            unavailable(f"{tool} missing (Debian package poppler-utils)")
    register_font(FONT_PATH)


def label(code: str, name: str = "可折叠收纳箱 大号45升") -> LabelData:
    return LabelData(name=name, ladder=[(12, 2680), (60, 2490), (240, 2300)], moq=12,
                     case_pack=12, zone_name="跨境区", zone_colour="#1B98E0",
                     slot_text=f"B-1-1 · {code}", url=slot_url("http://192.168.1.10:8000", code),
                     printed_on=date(2026, 11, 22))


PRINT_DPI = 300
PX_PER_MM = PRINT_DPI / 25.4
ROLL_GAP_MM = 3.0  # between labels on a roll's backing


@functools.cache
def printed_run(name: str) -> tuple[list[LabelData], list[Image.Image], dict[str, tuple]]:
    """Print a 200-label run of a template at 300 dpi; return the labels, the pages, and each
    URL's code as found on the clean print: (page, symbol box in pixels, modules)."""
    rng = random.Random(name)
    labels = [label(new_code(rng.getrandbits)) for _ in range(200)]
    pdf = render_pdf(labels, TEMPLATES[name], font_path=FONT_PATH)
    pages = [Image.open(io.BytesIO(png)).convert("L") for png in pdf_to_png(pdf, PRINT_DPI)]
    found = {}
    for number, page in enumerate(pages):
        for code in zxingcpp.read_barcodes(page, formats=zxingcpp.BarcodeFormat.QRCode):
            corners = [(p.x, p.y) for p in (code.position.top_left, code.position.top_right,
                                            code.position.bottom_right,
                                            code.position.bottom_left)]
            box = (min(x for x, _ in corners), min(y for _, y in corners),
                   max(x for x, _ in corners), max(y for _, y in corners))
            assert code.text not in found, code.text
            found[code.text] = (number, box, 17 + 4 * int(code.extra["Version"]))
    return labels, pages, found


def clear_margin(page: Image.Image, box: tuple, modules: int) -> float:
    """Measure, in modules, the white around a code up to the nearest ink or the print's edge.

    A pixel darker than 230 of 255 counts as ink: a pale zone colour is ink to a decoder's
    threshold on a dim shelf. Beyond the page is black in a crop, so the print's edge counts
    as ink too. One pixel next to the symbol is left out for its anti-aliased edge.
    """
    x0, y0, x1, y1 = box
    module = (x1 - x0) / modules

    def inked(reach: int) -> bool:
        around = page.crop((x0 - reach, y0 - reach, x1 + reach, y1 + reach)).point(
            lambda v: 255 if v < 230 else 0)
        around.paste(0, (reach - 1, reach - 1, reach + x1 - x0 + 1, reach + y1 - y0 + 1))
        return around.getbbox() is not None

    clear, inked_at = 1, round(8 * module)
    if not inked(inked_at):
        return inked_at / module
    while inked_at - clear > 1:  # the widest square ring with no ink, by halving
        middle = (clear + inked_at) // 2
        clear, inked_at = (clear, middle) if inked(middle) else (middle, inked_at)
    return clear / module


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_every_code_of_a_200_label_run_reads_and_keeps_four_modules_clear(tools, name):
    labels, pages, found = printed_run(name)
    assert sorted(found) == sorted(data.url for data in labels)  # each slot's URL, once
    margins = [clear_margin(pages[number], box, modules)
               for number, box, modules in found.values()]
    assert min(margins) >= QUIET_MODULES, (name, min(margins))
    print(f"{name}: clear margin at least {min(margins):.2f} modules")


def _scene(name: str, pages: list[Image.Image], number: int) -> tuple[Image.Image, int]:
    """Return what surrounds a label where it is stuck: its sheet, or on a roll the labels
    before and after it; and how far down the label's own page starts in it."""
    if TEMPLATES[name].per_page > 1:
        return pages[number], 0
    page = pages[number]
    gap = round(ROLL_GAP_MM * PX_PER_MM)
    strip = Image.new("L", (page.width, 3 * page.height + 2 * gap), 255)
    for row, neighbour in enumerate((number - 1, number, number + 1)):
        strip.paste(pages[neighbour % len(pages)], (0, row * (page.height + gap)))
    return strip, page.height + gap


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_a_phone_in_the_aisle_reads_at_least_98_percent_of_a_200_label_run(tools, name):
    labels, pages, found = printed_run(name)
    rng = random.Random(f"aisle {name}")
    missed = []
    for data in labels:
        number, (x0, y0, x1, y1), _ = found[data.url]
        scene, top = _scene(name, pages, number)
        shot = Shot.draw(rng)
        # The viewfinder is twice the code's width: the neighbours' edges come into view.
        photo = photograph(scene, PX_PER_MM, ((x0 + x1) / 2, top + (y0 + y1) / 2),
                           2 * (x1 - x0) / PX_PER_MM, shot)
        read = [code.text for code in zxingcpp.read_barcodes(
            photo, formats=zxingcpp.BarcodeFormat.QRCode)]
        if read != [data.url]:
            missed.append((data.url, read, shot))
    assert len(missed) <= 4, missed
    print(f"{name}: {len(labels) - len(missed)} of {len(labels)} read")


def test_every_font_is_embedded_and_chinese_shows_without_system_fonts(tools, tmp_path):
    pdf = render_pdf([label("PZME9N9VQS", LONG_NAME)], TEMPLATES["roll-60x40"],
                     font_path=FONT_PATH)
    path = tmp_path / "label.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True,
                           text=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts

    # A fontconfig that knows no font at all, as on a computer without Chinese fonts.
    empty = tmp_path / "fonts.conf"
    empty.write_text('<?xml version="1.0"?><fontconfig><cachedir>'
                     f'{tmp_path}/cache</cachedir></fontconfig>')
    bare = {"FONTCONFIG_FILE": str(empty), "PATH": "/usr/bin:/bin"}

    def raster(pdf_path: Path, env=None) -> bytes:
        subprocess.run(["pdftoppm", "-png", "-r", "100", "-singlefile", str(pdf_path),
                        str(tmp_path / "r")], check=True, capture_output=True, env=env)
        return (tmp_path / "r.png").read_bytes()

    from io import BytesIO

    from PIL import Image, ImageChops

    with_fonts = Image.open(BytesIO(raster(path)))
    without = Image.open(BytesIO(raster(path, bare)))
    assert ImageChops.difference(with_fonts.convert("L"), without.convert("L")).getbbox() is None

    # The same name in reportlab's built-in STSong (not embedded) loses its glyphs there.
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    unembedded = tmp_path / "unembedded.pdf"
    canvas = Canvas(str(unembedded), pagesize=(170, 113))
    canvas.setFont("STSong-Light", 12)
    canvas.drawString(5, 60, LONG_NAME[:12])
    canvas.save()
    canvas = Canvas(str(tmp_path / "embedded.pdf"), pagesize=(170, 113),
                    initialFontName=FONT)
    canvas.setFont(FONT, 12)
    canvas.drawString(5, 60, LONG_NAME[:12])
    canvas.save()
    ink = {name: sum(Image.open(BytesIO(raster(tmp_path / name, bare))).convert(
        "L").histogram()[:128]) for name in ("unembedded.pdf", "embedded.pdf")}
    assert ink["embedded.pdf"] > 3 * max(ink["unembedded.pdf"], 1)


@pytest.fixture(scope="module")
def longest_demo_name():
    import tomllib

    from store_api.core.resources import config_dir

    products = tomllib.loads((config_dir() / "demo" / "products.toml").read_text("utf-8"))
    return max((p["name_zh"] for p in products["products"]), key=len)


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_no_text_leaves_its_box_on_any_template(tools, name, longest_demo_name):
    template = TEMPLATES[name]
    for product_name in (longest_demo_name, LONG_NAME):
        layout = lay_out(label("PZME9N9VQS", product_name), template, 0, 0, FONT)
        for text in layout.texts:
            assert text.area.holds(text.box), (product_name, text.text)
            assert layout.label.holds(text.area)
            assert not overlaps(text.box, layout.clear), text.text
        assert not overlaps(layout.band, layout.clear)
        assert layout.label.holds(layout.clear) and layout.clear.holds(layout.qr)
        assert layout.label.holds(layout.band)
        assert layout.qr.width >= 18 * 72 / 25.4
        names = [t for t in layout.texts if t.bold and t.colour == "#000000"]
        assert "".join(t.text for t in names).replace(" ", "") == product_name.replace(" ", "")
        assert min(t.size for t in names) >= NAME_MIN_PT


def overlaps(a, b) -> bool:
    return a.x < b.x + b.width and b.x < a.x + a.width and a.y < b.y + b.height and (
        b.y < a.y + a.height)


def test_a_price_change_makes_exactly_its_labels_stale_and_a_reprint_clears_them(tools,
                                                                                  sqlite_app):
    load(sqlite_app)
    db = state(sqlite_app).db

    def print_them(stale=False, everything=False):
        with db.read_session() as session:
            chosen = [s.id for s in labels.select_slots(session, everything=everything,
                                                        stale=stale)]
        labels.print_labels(db, chosen, template_name="a4-3x8", base_url="http://shop.lan",
                            base_level="standard", font_path=FONT_PATH)
        return chosen

    assert len(print_them(everything=True)) == 63
    with db.read_session() as session:
        assert labels.stale_labels(session, "standard") == []
    with db.unit_of_work() as session:
        tier = session.scalar(select(PriceTier).join(Product).where(
            Product.sku == "YK-BL-002", PriceTier.member_level == "standard",
            PriceTier.min_quantity == 60))
        tier.unit_price_fen -= 100
        gold_only = session.scalar(select(PriceTier).join(Product).where(
            Product.sku == "YK-BL-003", PriceTier.member_level == "gold").limit(1))
        gold_only.unit_price_fen -= 1  # gold prices are not on the label
    with db.read_session() as session:
        stale = labels.stale_labels(session, "standard")
        assert [(s.slot.product.sku, s.changed) for s in stale] == [("YK-BL-002", ["ladder"])]
    assert len(print_them(stale=True)) == 1
    with db.read_session() as session:
        assert labels.stale_labels(session, "standard") == []


def test_labels_command(tools, tmp_path, monkeypatch):
    monkeypatch.setenv("XUANPIN_PATHS_VAR_DIR", str(tmp_path / "var"))
    runner = CliRunner()
    assert runner.invoke(main, ["init"]).exit_code == 0
    assert runner.invoke(main, ["demo"]).exit_code == 0
    out = tmp_path / "zone.pdf"
    result = runner.invoke(main, ["labels", "--template", "shelf-100x30", "--zone", "streamer",
                                  "--skip", "3", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "17 labels written" in result.output and out.read_bytes().startswith(b"%PDF")
    for args, complaint in (
        (["--template", "nope", "--all"], "nope"),
        (["--template", "a4-3x8", "--slot", "ZZZZZZZZZZ"], "ZZZZZZZZZZ"),
        (["--template", "a4-3x8"], "货位"),
        (["--template", "a4-3x8", "--all", "--skip", "24"], "标签纸"),
    ):
        result = runner.invoke(main, ["labels", *args, "--output", str(out)])
        assert result.exit_code == 1 and complaint in result.output, result.output


def test_console_prints_in_the_background_previews_and_lists_stale_labels(tools, sqlite_app):
    from store_api.core.worker import Worker

    load(sqlite_app)
    db = state(sqlite_app).db
    client, token = staff_client(sqlite_app)

    def batch(**form):
        response = client.post("/console/labels", data={"csrf_token": token, **form})
        assert response.status_code == 303, response.get_data(as_text=True)
        job = response.headers["Location"].rsplit("/", 1)[1]
        assert client.get(f"/console/labels/jobs/{job}.json").json["done"] == 0
        assert client.get(f"/console/labels/jobs/{job}.pdf").status_code == 409
        assert "<progress" in client.get(f"/console/labels/jobs/{job}").get_data(as_text=True)
        while Worker(state(sqlite_app)).run_once():
            pass
        progress = client.get(f"/console/labels/jobs/{job}.json").json
        assert progress["status"] == "done" and progress["done"] == progress["total"]
        pdf = client.get(f"/console/labels/jobs/{job}.pdf")
        assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
        return progress["total"]

    assert batch(selection="zone", zone="bestseller", template="a4-2x7", copies="1",
                 skip="0") == 25
    with db.unit_of_work() as session:
        product = session.scalar(select(Product).where(Product.sku == "TZ-HY-003"))
        product.name_zh = "翻盖式脏衣篮 带滑轮 新款"
        code = product.slot.code
    page = client.get("/console/labels").get_data(as_text=True)
    assert "翻盖式脏衣篮 带滑轮 新款" in page and "名称" in page
    preview = client.get(f"/console/labels/preview.png?slot={code}&template=roll-60x40")
    assert preview.mimetype == "image/png" and preview.data.startswith(b"\x89PNG")
    assert batch(selection="stale", template="roll-60x40") == 1
    assert "所有已打印的标签都是最新的" in client.get("/console/labels").get_data(as_text=True)
    bad = client.post("/console/labels", data={"csrf_token": token, "selection": "codes",
                                               "codes": "NOTACODE1", "template": "a4-3x8"})
    assert bad.status_code == 422 and "NOTACODE1" in bad.get_data(as_text=True)
    for skip, copies in (("x", "1"), ("0", "1.5"), ("-1", "1"), ("0", "101"), ("99", "1")):
        refused = client.post("/console/labels", data={
            "csrf_token": token, "selection": "all", "template": "a4-3x8", "skip": skip,
            "copies": copies})
        assert refused.status_code == 422, (skip, copies)
        assert 'class="error-message"' in refused.get_data(as_text=True)
    with db.read_session() as session:
        assert session.scalar(select(func.count()).select_from(PrintJob).where(
            PrintJob.kind == "label-pdf")) == 2  # the two batches above, nothing more
