"""Buyer pages: the scan page, search, the cart and checkout, the order page, the zone screens
and the touch kiosk."""

from flask import Flask


def init_app(app: Flask, csrf) -> None:
    """Register the buyer-facing blueprints; their forms are checked by origin, not by token."""
    from kiosk.account import bp as account_bp
    from kiosk.cart import bp as cart_bp
    from kiosk.compare import bp as compare_bp
    from kiosk.display import bp as display_bp
    from kiosk.order_page import bp as order_bp
    from kiosk.scan import bp as scan_bp
    from kiosk.search import bp as search_bp
    from kiosk.shortlists import bp as lists_bp
    from kiosk.touch import bp as touch_bp

    app.register_blueprint(scan_bp)
    app.register_blueprint(search_bp)
    csrf.exempt(cart_bp)
    app.register_blueprint(cart_bp)
    csrf.exempt(account_bp)
    app.register_blueprint(account_bp)
    csrf.exempt(lists_bp)
    app.register_blueprint(lists_bp)
    csrf.exempt(compare_bp)
    app.register_blueprint(compare_bp)
    app.register_blueprint(order_bp)
    app.register_blueprint(display_bp)
    csrf.exempt(touch_bp)
    app.register_blueprint(touch_bp)
