"""The cart as the phone shows it: one group per shipper (the centre, each factory), with the
factory's mixed-batch minimum beside the lines it ships."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from store_api.core.errors import DomainError
from store_api.factories.models import Factory
from store_api.orders.carts import CartView, FactoryShortfall, LineView
from store_api.orders.checkout import plan


@dataclass
class ShipperGroup:
    factory: Factory | None  # None: the centre's own stock, taken away or delivered locally
    lines: list[LineView] = field(default_factory=list)
    shortfall: FactoryShortfall | None = None
    split: set[int] = field(default_factory=set)  # products partly shipped by the other source

    @property
    def key(self) -> str:
        return "centre" if self.factory is None else f"factory-{self.factory.id}"

    @property
    def subtotal_fen(self) -> int:
        return sum(line.total_fen for line in self.lines)


def by_shipper(session: Session, cart: CartView, allocate_first: str) -> list[ShipperGroup]:
    """Group the cart's lines by who ships most of each line's units, the centre first."""
    try:
        planned = plan(session, cart.lines, allocate_first)
    except DomainError:
        planned = None  # more than all sources hold: the factory is who would have to ship it
    shipper: dict[int, tuple[int, Factory | None]] = {}
    sources: dict[int, int] = {}
    for group in planned or ():
        for line, take in group.lines:
            sources[line.product.id] = sources.get(line.product.id, 0) + 1
            if take > shipper.get(line.product.id, (0, None))[0]:
                shipper[line.product.id] = (take, group.factory)
    short = {s.factory.id: s for s in cart.shortfalls}
    groups: dict[str, ShipperGroup] = {}
    for line in cart.lines:
        factory = shipper[line.product.id][1] if line.product.id in shipper else (
            line.product.factory)
        group = ShipperGroup(factory)
        group = groups.setdefault(group.key, group)
        group.lines.append(line)
        if sources.get(line.product.id, 0) > 1:
            group.split.add(line.product.id)
        if factory is not None:
            group.shortfall = short.get(factory.id)
    return sorted(groups.values(), key=lambda g: (g.factory is not None, g.key))
