"""Refuse state-changing requests sent by another site's page (cross-site request forgery).

Buyer pages are served from a cache shared by many devices, so their forms carry no per-session
token; instead the browser's own Sec-Fetch-Site and Origin headers must say the form came from
this site. Requests without either header (non-browser clients) carry no victim's cookie worth
forging, and the session cookie is SameSite=Lax besides.
"""

from urllib.parse import urlsplit

from flask import request
from flask_babel import lazy_gettext as _l

from store_api.core.errors import DomainError


def require_same_origin() -> None:
    """Raise unless a POST comes from this site's own pages."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    site = request.headers.get("Sec-Fetch-Site")
    origin = request.headers.get("Origin")
    foreign_site = site is not None and site not in ("same-origin", "none")
    foreign_origin = origin is not None and origin != request.host_url.rstrip("/")
    if foreign_site or foreign_origin:
        raise DomainError(_l("This form was sent from another site and was refused."),
                          code="cross_site", status=403)


def local_target(target: str | None, default: str) -> str:
    """Return target if it is a path on this site, else default (no open redirects)."""
    if not target or not target.startswith("/") or "\\" in target or any(
        ord(ch) < 32 for ch in target
    ):
        return default
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else default


def here() -> str:
    """Return this request's path and query, to come back to after signing in."""
    # request.full_path ends in a lone "?" when there is no query: /console/? is not the
    # address the browser asked for, so the query is added only when there is one.
    query = request.query_string.decode("latin-1")
    return f"{request.path}?{query}" if query else request.path
