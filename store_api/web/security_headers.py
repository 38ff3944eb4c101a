"""Headers every answer carries: a Content-Security-Policy with no inline script, no framing
(zone screens may be framed by the origins `displays.frame_ancestors` names, for signage
players), no MIME sniffing, and a referrer kept within the centre."""

from __future__ import annotations

from flask import Flask, request

from store_api.core.state import state

# Style attributes carry zone colours from config/zones.toml; scripts and style sheets come
# from static/ alone.
_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self'; "
           "style-src-attr 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
           "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
           "frame-ancestors {ancestors}")


# The same for every answer; the policy alone depends on whether a zone screen is answering.
_COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    # The camera scans codes at the warehouse desk; location fills in a delivery address.
    "Permissions-Policy": "camera=(self), geolocation=(self), microphone=()",
}


def init_app(app: Flask) -> None:
    """Add the headers to every response."""
    # Built once: the settings do not change while the app runs.
    page = {"Content-Security-Policy": _POLICY.format(ancestors="'none'"),
            "X-Frame-Options": "DENY", **_COMMON}
    display = {"Content-Security-Policy": _POLICY.format(
        ancestors=state(app).settings.displays.frame_ancestors), **_COMMON}

    @app.after_request
    def _add(response):
        headers = response.headers
        for name, value in (display if request.blueprint == "display" else page).items():
            headers.setdefault(name, value)
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
