"""Buyer pages: the scan page, the cart and checkout, and the order page."""

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the buyer-facing blueprints."""
    from kiosk.cart import bp as cart_bp
    from kiosk.order_page import bp as order_bp
    from kiosk.scan import bp as scan_bp

    app.register_blueprint(scan_bp)
    app.register_blueprint(cart_bp)
    app.register_blueprint(order_bp)
