"""Which addresses a factory's webhook may reach: public ones, whatever way the host is written."""

import ipaddress

import pytest

from store_api.fulfilment import webhook_address
from store_api.fulfilment.webhook_address import Refused, kind, target


@pytest.mark.parametrize("address, expected", [
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
    ("10.0.0.1", "private"), ("172.16.0.1", "private"), ("172.31.255.254", "private"),
    ("192.168.1.20", "private"), ("fc00::1", "private"), ("fd12:3456::1", "private"),
    ("0.0.0.0", "unspecified"), ("::", "unspecified"),
    ("224.0.0.1", "multicast"), ("ff02::1", "multicast"),
    ("100.64.0.1", "reserved"),  # shared by carriers' NAT, not the internet's
    ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.1.2.3", "private"),
    ("8.8.8.8", None), ("172.32.0.1", None), ("2606:4700::1111", None),
    ("::ffff:8.8.8.8", None),
])
def test_what_keeps_an_address_off_the_internet(address, expected):
    assert kind(ipaddress.ip_address(address)) == expected


@pytest.mark.parametrize("url, reason", [
    ("http://127.0.0.1:9/h", "127.0.0.1 is a loopback address"),
    ("http://[::1]/h", "::1 is a loopback address"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
    ("http://10.0.0.1/h", "10.0.0.1 is a private address"),
    ("http://0.0.0.0/h", "0.0.0.0 is an unspecified address"),
    # Written as the resolver reads them, they are refused by what they resolve to.
    ("http://2130706433/h", "2130706433 resolves to 127.0.0.1, a loopback address"),
    ("http://0x7f.1/h", "0x7f.1 resolves to 127.0.0.1, a loopback address"),
    ("http://localhost:8080/h", "localhost resolves to 127.0.0.1, a loopback address"),
])
def test_a_send_to_an_address_that_is_not_public_is_refused_with_the_reason(url, reason):
    with pytest.raises(Refused, match=reason):
        target(url, allow_private=False)


def test_allowed_a_private_address_is_sent_to_as_resolved_under_the_urls_host():
    found = target("http://localhost:8080/hooks?f=1#part", allow_private=True)
    assert "127.0.0.1" in found.addresses
    assert (found.scheme, found.host, found.port) == ("http", "localhost", 8080)
    assert (found.host_header, found.path) == ("localhost:8080", "/hooks?f=1")
    assert target("https://user:pw@10.0.0.1/", allow_private=True).host_header == "10.0.0.1"


def test_a_public_address_is_sent_to_as_it_is():
    found = target("https://8.8.8.8/hooks", allow_private=False)
    assert found.addresses == ("8.8.8.8",) and found.port == 443
    assert webhook_address.check_saved("https://8.8.8.8/hooks", allow_private=False) is None
