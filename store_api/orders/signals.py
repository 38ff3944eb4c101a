"""What orders tell the domains above them, inside the caller's transaction.

Orders sit below fulfilment, so they do not call it: they send these signals, and the bootstrap
connects fulfilment's receivers. Start-up refuses a signal that nothing receives.
"""

from __future__ import annotations

from blinker import Namespace

_orders = Namespace()

# A factory group may be forwarded now (paid, or its buyer is on account); sent with `session`.
factory_group_payable = _orders.signal("factory-group-payable")
# One of an order's groups was cancelled; sent with `session` and `actor`.
group_cancelled = _orders.signal("group-cancelled")

SIGNALS = (factory_group_payable, group_cancelled)


def check_received() -> None:
    """Refuse to start when a signal has no receiver: its reaction would silently not happen."""
    missing = [signal.name for signal in SIGNALS if not signal.receivers]
    if missing:
        raise RuntimeError(f"nothing receives the orders signal {', '.join(missing)}: "
                           "connect a receiver in store_api/bootstrap.py")
