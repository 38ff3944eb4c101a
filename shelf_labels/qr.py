"""QR codes for labels: the payload, and its matrix computed once per payload."""

from __future__ import annotations

from functools import lru_cache

import qrcode
from qrcode.constants import ERROR_CORRECT_M

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
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
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
