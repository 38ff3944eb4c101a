"""Text drawn as a picture with a CJK font, for printers that have no Chinese characters."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont


def text_image(lines: list[str], font_path: Path, *, width: int, size: int = 24) -> Image.Image:
    """Return a black-on-white image of the lines, width pixels wide (the printer's dots)."""
    font = ImageFont.truetype(str(font_path), size, index=0)
    line_height = int(size * 1.25)
    image = Image.new("1", (width, max(1, line_height * len(lines))), 1)
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((0, number * line_height), line, font=font, fill=0)
    return image
