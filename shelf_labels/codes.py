"""Opaque codes for shelf slots and orders, with check characters refused before any lookup.

A code is eight random symbols and two check symbols from a 32-symbol alphabet of digits and
uppercase letters without I, L, O and U (easy to misread). Uppercase letters and digits let a
QR code hold the whole URL in its compact alphanumeric mode. The check value is the code read
as a base-32 number modulo the prime 1021, so every single wrong symbol and every swap of two
neighbours is caught, and a made-up code passes one time in 1021.
"""

from collections.abc import Callable

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BODY_LENGTH = 8
CODE_LENGTH = BODY_LENGTH + 2
_VALUE = {symbol: index for index, symbol in enumerate(ALPHABET)}
_PRIME = 1021


def _check_value(body: str) -> int:
    total = 0
    for symbol in body:
        total = (total * 32 + _VALUE[symbol]) % _PRIME
    # Shift by two places so the check symbols weigh in like the body's own digits.
    return (total * 32 * 32) % _PRIME


def _with_check(body: str) -> str:
    check = (-_check_value(body)) % _PRIME
    return body + ALPHABET[check // 32] + ALPHABET[check % 32]


def new_code(randbits: Callable[[int], int]) -> str:
    """Return a new code from a source of random bits (secrets.randbits in production)."""
    number = randbits(5 * BODY_LENGTH)
    body = "".join(ALPHABET[(number >> (5 * i)) & 31] for i in range(BODY_LENGTH))
    return _with_check(body)


def normalise(text: str) -> str:
    """Upper-case a typed code and map the letters people confuse with digits."""
    return text.strip().upper().replace("O", "0").replace("I", "1").replace("L", "1")


def is_valid(code: str) -> bool:
    """Tell whether a code has the right length, alphabet and check symbols."""
    if len(code) != CODE_LENGTH or any(symbol not in _VALUE for symbol in code):
        return False
    total = 0
    for symbol in code:
        total = (total * 32 + _VALUE[symbol]) % _PRIME
    return total == 0
