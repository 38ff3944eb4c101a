"""QR codes for labels: the payload, and its matrix computed once per payload."""

from __future__ import annotations

from functools import lru_cache

import qrcode
from qrcode.constants import ERROR_CORRECT_M

MASK = 2
# QR's alphanumeric mode: 45 symbols, 5.5 bits each against 8 for bytes.
ALPHANUMERIC = set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


def slot_url(base_url: str, code: str) -> str:
    """Return the URL a slot's label holds, in upper case when the whole URL allows it.

    Scheme and host are case-insensitive and the store serves /S/<code> as well as /s/<code>,
    so an upper-case URL is the same address in QR's denser alphanumeric mode.
    """
    base = base_url.rstrip("/")
    upper = f"{base}/S/{code}".upper()
    return upper if set(upper) <= ALPHANUMERIC else f"{base}/s/{code}"


@lru_cache(maxsize=8192)
def runs(payload: str) -> tuple[int, tuple[tuple[int, int, int], ...]]:
    """Return the QR's size in modules and its dark modules as (row, first column, length) runs."""
    # A fixed mask skips trying all eight and scoring each, which is most of the pure-Python
    # encoder's time; every mask is valid QR, and the decoder test reads every label.
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0, mask_pattern=MASK)
    code.add_data(payload)
    code.make(fit=True)
    matrix = code.get_matrix()
    found = []
    for row, cells in enumerate(matrix):
        start = None
        for column, dark in enumerate([*cells, False]):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                found.append((row, start, column - start))
                start = None
    return len(matrix), tuple(found)


@lru_cache(maxsize=8192)
def pdf_path(payload: str) -> str:
    """Return the QR's dark modules as PDF path operators in module units, origin bottom-left.

    Drawn under a transformation matrix that scales one unit to one module, the same string
    serves any position and size, so a label's QR costs one string join once per payload.
    """
    modules, dark = runs(payload)
    return "".join(f"{column} {modules - row - 1} {length} 1 re\n"
                   for row, column, length in dark) + "f\n"
