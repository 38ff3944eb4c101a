"""Label sheets and rolls as PDF, with the CJK font embedded, and PNG pages from them."""

from __future__ import annotations

import io
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from shelf_labels.layout import LabelData, Layout, lay_out
from shelf_labels.qr import pdf_path, runs
from shelf_labels.templates import Template

FONT = "LabelCJK"


class FontMissing(RuntimeError):
    """The CJK font the labels need is not installed."""


def register_font(path: Path) -> str:
    """Register the TrueType CJK font (a .ttf, or the first face of a .ttc) once."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        if not path.exists():
            raise FontMissing(f"label font {path} is missing; on Debian install fonts-wqy-zenhei")
        pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))
    return FONT


def _draw_qr(canvas: Canvas, payload: str, x: float, y: float, size: float) -> None:
    modules, _ = runs(payload)
    unit = size / modules
    # One transformation and the cached path: far cheaper than a rectangle object per run.
    canvas._code.append(f"q {unit:.5f} 0 0 {unit:.5f} {x:.3f} {y:.3f} cm\n"
                        f"{pdf_path(payload)}Q")


def _draw(canvas: Canvas, layout: Layout, payload: str | None) -> None:
    canvas.setFillColor(HexColor(layout.band_colour))
    band = layout.band
    canvas.rect(band.x, band.y, band.width, band.height, stroke=0, fill=1)
    for text in layout.texts:
        canvas.setFillColor(HexColor(text.colour))
        canvas.setFont(FONT, text.size)
        # Baseline a little above the box's bottom: descenders stay inside the line's box.
        canvas.drawString(text.box.x, text.box.y + text.size * 0.22, text.text)
    canvas.setFillColor(HexColor("#000000"))
    if payload is not None:
        qr = layout.qr
        _draw_qr(canvas, payload, qr.x, qr.y, qr.width)


def render_pdf(labels: Iterable[LabelData], template: Template, *, font_path: Path,
               skip: int = 0, copies: int = 1, with_qr: bool = True,
               progress: Callable[[int], None] | None = None) -> bytes:
    """Lay labels out on the template's pages and return the PDF.

    skip leaves that many positions of the first sheet empty (a partly used sheet); copies
    repeats each label.
    """
    font = register_font(font_path)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(template.page_width * mm, template.page_height * mm),
                    initialFontName=font)  # so no unembedded standard font is referenced
    canvas.setTitle("labels")
    position = skip % template.per_page
    for done, data in enumerate(labels, start=1):
        for _ in range(copies):
            if position == template.per_page:
                canvas.showPage()
                position = 0
            x, y = template.origin(position)
            _draw(canvas, lay_out(data, template, x * mm, y * mm, font),
                  data.url if with_qr else None)
            position += 1
        if progress:
            progress(done)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def pdf_to_png(pdf: bytes, dpi: int = 150) -> list[bytes]:
    """Rasterise each page with pdftoppm (Debian package poppler-utils)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(source), str(Path(folder) / "p")],
                       check=True, capture_output=True)
        return [page.read_bytes() for page in sorted(Path(folder).glob("p*.png"))]
