"""Headers every answer carries: a Content-Security-Policy with no inline script, no framing
(zone screens may be framed by the origins `displays.frame_ancestors` names, for signage
players), no MIME sniffing, and a referrer kept within the centre."""

from __future__ import annotations

from flask import Flask, request

from store_api.state import state

# Style attributes carry zone colours from config/zones.toml; scripts and style sheets come
# from static/ alone.
_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; "
           "style-src-attr 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
           "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
           "frame-ancestors {ancestors}")


def _is_display() -> bool:
    return request.blueprint == "display"


def _add(response):
    ancestors = state().settings["displays.frame_ancestors"] if _is_display() else "'none'"
    headers = response.headers
    headers.setdefault("Content-Security-Policy", _POLICY.format(ancestors=ancestors))
    if not _is_display():
        headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    # The camera scans codes at the warehouse desk; location fills in a delivery address.
    headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def init_app(app: Flask) -> None:
    """Add the headers to every response."""
    app.after_request(_add)
