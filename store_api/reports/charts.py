"""Charts drawn on the server as SVG: nothing to load, nothing from elsewhere."""

from __future__ import annotations

from markupsafe import Markup, escape

_ROW = 22
_LABEL = 190
_WIDTH = 640


def bar_chart(bars: list[tuple[str, float, str]], title: str) -> Markup:
    """Horizontal bars, one per (label, value, value as shown), longest value full width."""
    top = max((value for _, value, _ in bars), default=0) or 1
    room = _WIDTH - _LABEL - 80
    parts = []
    for n, (label, value, shown) in enumerate(bars):
        y = n * _ROW
        length = max(0.0, value) / top * room
        parts.append(
            f'<text x="{_LABEL - 6}" y="{y + 15}" text-anchor="end">{escape(label[:28])}</text>'
            f'<rect x="{_LABEL}" y="{y + 3}" width="{length:.1f}" height="{_ROW - 6}" />'
            f'<text x="{_LABEL + length + 4:.1f}" y="{y + 15}">{escape(shown)}</text>')
    height = max(1, len(bars)) * _ROW
    return Markup(
        f'<svg class="chart" role="img" aria-label="{escape(title)}" '
        f'viewBox="0 0 {_WIDTH} {height}" width="{_WIDTH}" height="{height}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>{"".join(parts)}'
        "</svg>")
