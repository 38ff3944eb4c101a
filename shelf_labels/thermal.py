"""Shelf labels for thermal label printers as ESC/POS: native QR, or a raster where none."""

from __future__ import annotations

from pathlib import Path

import qrcode
from escpos.printer import Dummy

from shelf_labels.layout import QUIET_MODULES, LabelData
from shelf_labels.money import yuan
from shelf_labels.raster import text_image
from shelf_labels.receipts import CHINESE_MODE, encode

CENTRE, LEFT = b"\x1ba\x01", b"\x1ba\x00"  # ESC a: justification


def label_lines(data: LabelData) -> list[str]:
    """The label's text, line by line."""
    lines = [f"[{data.zone_name}] {data.name}"]
    lines += [f"≥{quantity}  {yuan(price)}" for quantity, price in data.ladder[:3]]
    lines.append(f"{data.words['moq']} {data.moq} · {data.words['case']} {data.case_pack}")
    lines.append(f"{data.slot_text}  {data.printed_on.isoformat()}")
    return lines


def label_bytes(labels: list[LabelData], *, native_qr: bool = True, encoding: str = "gb18030",
                raster_font: Path | None = None, width_dots: int = 384) -> bytes:
    """Return ESC/POS bytes printing each label and cutting after it.

    native_qr uses the printer's QR command; otherwise the QR is sent as a picture. With
    raster_font the text is a picture too, for printers without Chinese characters.
    """
    printer = Dummy()
    printer.hw("INIT")
    for data in labels:
        lines = label_lines(data)
        if raster_font is not None:
            printer.image(text_image(lines, raster_font, width=width_dots))
        else:
            printer._raw(CHINESE_MODE)
            printer._raw(b"".join(encode(line, encoding) + b"\n" for line in lines))
        # A blank line (30 dots) above the code keeps its four modules (24 dots) clear of the
        # text; centred, the paper's sides are clear as well.
        printer._raw(CENTRE + b"\n")
        if native_qr:
            printer.qr(data.url, native=True, size=6)
        else:
            code = qrcode.QRCode(border=QUIET_MODULES, box_size=6)
            code.add_data(data.url)
            printer.image(code.make_image().get_image().convert("1"))
        printer._raw(b"\n")
        caption = data.words["scan"]
        if raster_font is not None:
            printer.image(text_image([caption], raster_font, width=width_dots))
        else:
            printer._raw(encode(caption, encoding) + b"\n")
        printer._raw(LEFT)
        printer.cut()
    return printer.output
