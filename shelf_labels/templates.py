"""Label templates: sheet and roll geometry, read from a TOML file."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

MIN_QR_MM = 18.0


@dataclass(frozen=True)
class Template:
    name: str
    description: str
    page_width: float
    page_height: float
    columns: int
    rows: int
    label_width: float
    label_height: float
    margin_left: float
    margin_top: float
    gap_x: float
    gap_y: float
    qr: float
    # The description in Chinese; a template without one is described in English everywhere.
    description_zh: str = ""

    def describe(self, locale: str) -> str:
        """Return the description in the language of a locale ("zh_CN", "en")."""
        return self.description_zh if locale.startswith("zh") and self.description_zh else (
            self.description)

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def origin(self, position: int) -> tuple[float, float]:
        """Return the bottom-left corner (mm, from the page's bottom-left) of a position."""
        column, row = position % self.columns, position // self.columns
        x = self.margin_left + column * (self.label_width + self.gap_x)
        top = self.margin_top + row * (self.label_height + self.gap_y)
        return x, self.page_height - top - self.label_height


def load_templates(path: Path) -> dict[str, Template]:
    """Read and check every template in a TOML file."""
    data = tomllib.loads(path.read_text("utf-8"))
    templates = {}
    for name, fields in data.get("templates", {}).items():
        template = Template(name=name, **fields)
        right = template.margin_left + template.columns * template.label_width + (
            template.columns - 1) * template.gap_x
        bottom = template.margin_top + template.rows * template.label_height + (
            template.rows - 1) * template.gap_y
        if right > template.page_width + 0.01 or bottom > template.page_height + 0.01:
            raise ValueError(f"label template {name}: labels do not fit on the page")
        if template.qr < MIN_QR_MM or template.qr > template.label_height:
            raise ValueError(f"label template {name}: qr must be {MIN_QR_MM} mm up to the "
                             "label's height")
        templates[name] = template
    return templates
