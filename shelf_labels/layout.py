"""Where everything on a label goes, measured with the label font, so nothing leaves its box."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from shelf_labels.money import yuan
from shelf_labels.qr import runs
from shelf_labels.templates import Template

PAD = 1.5 * mm
BAND = 4.5 * mm
QUIET_MODULES = 4  # the clear margin ISO/IEC 18004 asks for around a QR
# A sheet printer's registration moves the print by a fraction of a millimetre, so the clear
# margin is kept a little wider than four modules.
QUIET_SLACK = 0.3 * mm
CAPTION_PT = 5.5
WORDS_ZH = {"moq": "起订", "case": "每箱", "scan": "扫码下单"}
LINE = 1.18  # line height as a multiple of the font size
NAME_MAX_PT, NAME_MIN_PT = 11.0, 5.0


@dataclass(frozen=True)
class LabelData:
    """What one label shows; plain data, so this library needs no database."""

    name: str
    ladder: list[tuple[int, int]]  # (minimum quantity, unit price in fen), first three shown
    moq: int
    case_pack: int
    zone_name: str
    zone_colour: str
    slot_text: str  # such as "B-1-1 · 33FJFG6ZY9"
    url: str
    printed_on: date
    words: dict[str, str] = field(default_factory=lambda: dict(WORDS_ZH))


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    def holds(self, other: Box) -> bool:
        """Tell whether another box lies wholly inside this one."""
        eps = 0.01
        return (other.x >= self.x - eps and other.y >= self.y - eps
                and other.x + other.width <= self.x + self.width + eps
                and other.y + other.height <= self.y + self.height + eps)


@dataclass(frozen=True)
class Text:
    """A line of text at a size; box is where it sits, area where it must stay."""

    text: str
    size: float
    box: Box
    area: Box
    colour: str = "#000000"
    bold: bool = False


@dataclass
class Layout:
    label: Box
    band: Box
    band_colour: str
    qr: Box
    clear: Box  # the QR with its clear margin: nothing else is drawn here
    texts: list[Text]


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    lines, current = [], ""
    for ch in text:
        if current and stringWidth(current + ch, font, size) > width:
            lines.append(current.rstrip())
            current = "" if ch == " " else ch
        else:
            current += ch
    return [*lines, current] if current else lines


def _fit_name(name: str, font: str, area: Box) -> tuple[float, list[str]]:
    """Wrap the name, shrinking it until the lines fit the area; never clip."""
    size = NAME_MAX_PT
    while True:
        lines = _wrap(name, font, size, area.width)
        if len(lines) * size * LINE <= area.height or size <= NAME_MIN_PT:
            return size, lines
        size -= 0.25


def _stack(lines: list[str], font: str, size: float, area: Box, top: float,
           **style) -> tuple[list[Text], float]:
    """Place lines downwards from top inside area; return them and the y below the last."""
    placed = []
    for line in lines:
        top -= size * LINE
        width = stringWidth(line, font, size)
        placed.append(Text(line, size, Box(area.x, top, width, size * LINE), area, **style))
    return placed, top


def _place_qr(template: Template, label: Box, modules: int) -> tuple[Box, Box]:
    """Return the QR's box and its clear zone, in the label's top right corner.

    The code shrinks from the template's size when the label is too short for it and its
    margin: a smaller code with its margin reads better than a larger one without.
    """
    room = label.height - 2 * QUIET_SLACK
    size = min(template.qr * mm, room * modules / (modules + 2 * QUIET_MODULES))
    margin = size / modules * QUIET_MODULES + QUIET_SLACK
    top = label.y + label.height
    clear = Box(label.x + label.width - size - 2 * margin, top - size - 2 * margin,
                size + 2 * margin, size + 2 * margin)
    return Box(clear.x + margin, clear.y + margin, size, size), clear


def lay_out(data: LabelData, template: Template, x: float, y: float, font: str) -> Layout:
    """Lay one label out with its bottom-left corner at (x, y), in points."""
    width, height = template.label_width * mm, template.label_height * mm
    label = Box(x, y, width, height)
    qr, clear = _place_qr(template, label, runs(data.url)[0])
    # The zone's band runs up to the code's clear margin, so the code may use the full height.
    band = Box(x, y + height - BAND, clear.x - x, BAND)
    texts = []

    band_text = Box(band.x + PAD, band.y, band.width - 2 * PAD, band.height)
    size = 7.0
    zone_width = stringWidth(data.zone_name, font, size)
    texts.append(Text(data.zone_name, size,
                      Box(band_text.x, band.y + (BAND - size) / 2, zone_width, size),
                      band_text, colour="#FFFFFF", bold=True))

    # 扫码下单 under the code where the label leaves room, else beside it on the bottom line.
    caption = data.words["scan"]
    caption_width = stringWidth(caption, font, CAPTION_PT)
    caption_height = CAPTION_PT * LINE
    footer_right = clear.x - PAD
    if clear.y - y >= caption_height:
        area = Box(clear.x, y, clear.width, clear.y - y)
        box = Box(clear.x + (clear.width - caption_width) / 2, y + (area.height -
                  caption_height) / 2, caption_width, caption_height)
    else:
        area = Box(x + PAD, y + PAD * 0.6, footer_right - x - PAD, caption_height)
        box = Box(footer_right - caption_width, area.y, caption_width, caption_height)
        footer_right = box.x - PAD
    texts.append(Text(caption, CAPTION_PT, box, area))

    footer = Box(x + PAD, y + PAD * 0.6, footer_right - x - PAD, CAPTION_PT * LINE)
    column = Box(x + PAD, footer.y + footer.height, clear.x - x - 2 * PAD,
                 band.y - (footer.y + footer.height) - 0.5 * mm)
    detail_size = 6.5
    details = [f"≥{quantity}  {yuan(price)}" for quantity, price in data.ladder[:3]]
    details.append(f"{data.words['moq']} {data.moq} · {data.words['case']} {data.case_pack}")
    details_height = len(details) * detail_size * LINE
    name_area = Box(column.x, column.y + details_height, column.width,
                    column.height - details_height)
    name_size, name_lines = _fit_name(data.name, font, name_area)
    placed, _ = _stack(name_lines, font, name_size, name_area, name_area.y + name_area.height,
                       bold=True)
    texts += placed
    detail_area = Box(column.x, column.y, column.width, details_height)
    placed, _ = _stack(details, font, detail_size, detail_area, column.y + details_height)
    texts += placed

    stamp = f"{data.slot_text}  {data.printed_on.isoformat()}"
    stamp_size = CAPTION_PT
    while stringWidth(stamp, font, stamp_size) > footer.width and stamp_size > 4:
        stamp_size -= 0.25
    texts.append(Text(stamp, stamp_size, Box(footer.x, footer.y,
                                             stringWidth(stamp, font, stamp_size),
                                             stamp_size * LINE), footer))
    return Layout(label, band, data.zone_colour, qr, clear, texts)
