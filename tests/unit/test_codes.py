"""Slot codes: short, QR-alphanumeric, and every typo or forgery caught by its check symbols."""

import random
import re

import pytest

from shelf_labels.codes import ALPHABET, CODE_LENGTH, is_valid, new_code, normalise


@pytest.fixture
def codes():
    rng = random.Random(7)
    return [new_code(rng.getrandbits) for _ in range(200)]


def test_new_codes_are_valid_and_alphanumeric(codes):
    for code in codes:
        assert is_valid(code)
        assert re.fullmatch(f"[0-9A-Z]{{{CODE_LENGTH}}}", code)
    assert len(set(codes)) == len(codes)


def test_every_single_wrong_symbol_is_caught(codes):
    for code in codes[:20]:
        for i in range(CODE_LENGTH):
            for symbol in ALPHABET:
                if symbol != code[i]:
                    assert not is_valid(code[:i] + symbol + code[i + 1:])


def test_every_swap_of_neighbours_is_caught(codes):
    for code in codes:
        for i in range(CODE_LENGTH - 1):
            if code[i] != code[i + 1]:
                assert not is_valid(code[:i] + code[i + 1] + code[i] + code[i + 2:])


def test_made_up_codes_rarely_pass():
    rng = random.Random(11)
    made_up = ["".join(rng.choice(ALPHABET) for _ in range(CODE_LENGTH)) for _ in range(20000)]
    passing = sum(is_valid(code) for code in made_up)
    assert passing < 20000 / 1021 * 2


@pytest.mark.parametrize("text", ["", "ABC", "A" * 11, "ÄBCDEFGHJK", "abc def gh", "../../etc"])
def test_malformed_codes_are_refused(text):
    assert not is_valid(normalise(text))


def test_typed_codes_are_normalised(codes):
    code = codes[0]
    assert is_valid(normalise(f"  {code.lower()} "))
    assert normalise("o1il") == "0111"
