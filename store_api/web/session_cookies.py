"""The session cookie, marked Secure whenever the request came over https (also through the
proxies `server.proxy_hops` trusts), so a browser never sends it back in clear."""

from __future__ import annotations

from flask import Flask, has_request_context, request
from flask.sessions import SecureCookieSessionInterface


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed cookie session, Secure per request rather than per deployment."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return super().get_cookie_secure(app) or (has_request_context() and request.is_secure)


def init_app(app: Flask) -> None:
    """Use the per-request Secure flag for the app's session cookie."""
    app.session_interface = SessionCookies()
