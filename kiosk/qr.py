"""QR codes drawn as SVG for buyer pages and screens: an order for the counter's scanner, a
shelf slot on a zone screen, a kiosk's cart for the buyer's phone."""

from __future__ import annotations

from functools import lru_cache

import qrcode
import qrcode.image.svg

from shelf_labels.layout import QUIET_MODULES


@lru_cache(maxsize=1024)
def qr_svg(payload: str) -> str:
    """Return an SVG QR code of a payload (cached: the same payload draws the same code)."""
    image = qrcode.make(payload, image_factory=qrcode.image.svg.SvgPathImage, box_size=10,
                        border=QUIET_MODULES)
    return image.to_string(encoding="unicode")
