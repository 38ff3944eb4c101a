"""Where a factory's webhook may point: public addresses only.

Whoever keeps a factory chooses its webhook URL, and the worker posts to it from inside the
centre. Pointed at the centre's own network, the server itself or a cloud's metadata address
(169.254.169.254), a webhook would reach what the internet cannot. So a URL is checked when it
is saved and again at every send, against the addresses its name resolves to then; the send
connects to the address that was checked, so a name cannot answer one address to the check and
another to the connection. `fulfilment.allow_private_webhooks` lets through a factory ERP on the
centre's own network.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l

from store_api.core.errors import DomainError

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# What keeps an address off the public internet, in the words a refusal uses.
KINDS = {
    "loopback": _l("a loopback address"),
    "link-local": _l("a link-local address"),
    "private": _l("a private address"),
    "unspecified": _l("an unspecified address"),
    "multicast": _l("a multicast address"),
    "reserved": _l("a reserved address"),
}


def kind(address: Address) -> str | None:
    """Return what keeps an address off the public internet (a key of KINDS), or None when it
    is public."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 reaches 127.0.0.1
    for name, test in (("loopback", address.is_loopback),
                       ("link-local", address.is_link_local),
                       ("unspecified", address.is_unspecified),
                       ("multicast", address.is_multicast),
                       ("private", address.is_private)):
        if test:
            return name
    return None if address.is_global else "reserved"


def _is_localhost(host: str) -> bool:
    # RFC 6761: these names are loopback whatever a resolver says.
    name = host.rstrip(".").lower()
    return name == "localhost" or name.endswith(".localhost")


def resolve(host: str, port: int) -> list[str]:
    """Return every address a host name (or address) resolves to, in the resolver's order;
    raise OSError when it resolves to none."""
    found = []
    for *_, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        if sockaddr[0] not in found:
            found.append(sockaddr[0])
    return found


def _refusal(host: str, addresses: list[str]) -> tuple[str, str] | None:
    """The first address of a host that is not public and what it is, or None."""
    if _is_localhost(host):
        return (addresses[0] if addresses else host), "loopback"
    for address in addresses:
        found = kind(ipaddress.ip_address(address.partition("%")[0]))
        if found is not None:
            return address, found
    return None


def check_saved(url: str, *, allow_private: bool) -> None:
    """Refuse, on the form's url field, a webhook URL whose host is or resolves to an address
    that is not public, unless private addresses are allowed. A name that resolves to nothing
    yet is let through: every send checks again."""
    if allow_private:
        return
    host = urlsplit(url).hostname or ""
    try:
        refused = _refusal(host, resolve(host, 443))
    except (OSError, UnicodeError):
        refused = _refusal(host, [])  # localhost is loopback even where it resolves to nothing
    if refused is not None:
        address, found = refused
        shown = host if address == host else f"{host} ({address})"
        raise DomainError(_l("A webhook must go to a public address, and %(host)s is "
                             "%(kind)s. For a factory on the centre's own network, turn on "
                             "fulfilment.allow_private_webhooks."),
                          code="private_address", field="url", host=shown, kind=KINDS[found])


class Refused(Exception):
    """A send refused because its host resolves to an address that is not public."""


@dataclass(frozen=True)
class Target:
    """Where one send goes: the checked addresses to connect to, and what names the host to
    the factory's server (its Host header, and the name its TLS certificate must carry)."""

    scheme: str
    host: str
    port: int
    path: str
    host_header: str
    addresses: tuple[str, ...]


def target(url: str, *, allow_private: bool) -> Target:
    """Resolve a webhook URL once and check every address it gives; raise Refused when one is
    not public (unless private addresses are allowed), OSError or UnicodeError when the name
    resolves to nothing."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    addresses = resolve(host, port)
    refused = None if allow_private else _refusal(host, addresses)
    if refused is not None:
        address, found = refused
        where = f"{host} is" if address == host else f"{host} resolves to {address},"
        article = "an" if found[0] in "aeiou" else "a"
        raise Refused(f"refused: {where} {article} {found} address, and "
                      "fulfilment.allow_private_webhooks is off")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, host, port, path, parts.netloc.rpartition("@")[2],
                  tuple(addresses))
