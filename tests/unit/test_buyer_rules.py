"""Pure rules of buyers, without a database: how a signed-in device is named, how a code is kept
and carried, and what the next member level needs."""

import pytest

from store_api.buyers.codes import digest, seal, unseal
from store_api.buyers.devices import device_label
from store_api.orders.levels import next_level


@pytest.mark.parametrize("agent, label", [
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
     "Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN",
     "iPhone · 微信"),
    ("Mozilla/5.0 (Linux; Android 14; V2309A) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/120.0.6099.144 Mobile Safari/537.36", "Android · Chrome"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0", "Windows · Edge"),
    ("curl/8.5.0", "curl/8.5.0"),
    ("", ""),
])
def test_a_device_is_named_by_its_system_and_browser(agent, label):
    assert device_label(agent) == label


def test_a_code_is_kept_as_a_keyed_hash_and_carried_sealed():
    key, other = b"k" * 32, b"o" * 32
    assert digest(key, "13800138000", "123456") != digest(other, "13800138000", "123456")
    assert digest(key, "13800138000", "123456") != digest(key, "13900139000", "123456")
    sealed = seal(key, "123456")
    assert "123456" not in sealed and unseal(key, sealed) == "123456"
    with pytest.raises(ValueError):
        unseal(other, sealed)


LEVELS, SPEND = ["standard", "silver", "gold"], [0, 20000, 100000]


@pytest.mark.parametrize("level, spent_fen, expected", [
    ("standard", 0, ("silver", 2_000_000)),
    ("standard", 1_500_000, ("silver", 500_000)),
    ("standard", 2_500_000, ("silver", 0)),  # qualifies; staff confirm
    ("silver", 2_500_000, ("gold", 7_500_000)),
    ("gold", 50_000_000, (None, 0)),
    ("vip", 0, ("silver", 2_000_000)),  # a level not in settings counts as the lowest
])
def test_the_next_level_and_what_it_needs(level, spent_fen, expected):
    assert next_level(LEVELS, SPEND, level, spent_fen) == expected
