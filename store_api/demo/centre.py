"""The demo centre: factories, products, stock, staff and portal logins from config/demo/."""

from __future__ import annotations

import hashlib
import secrets
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from sqlalchemy import select
from sqlalchemy.orm import Session

from store_api.buyers.models import Buyer
from store_api.catalogue.models import ProductImage
from store_api.catalogue.zones import sync_zones
from store_api.core.errors import CatalogueError, RowProblem
from store_api.core.resources import config_dir
from store_api.demo.catalogue import load_catalogue
from store_api.factories.models import Factory
from store_api.staff.models import User

ACTOR = "demo-load"


@dataclass
class DemoResult:
    """What loading the demo centre created, with the passwords of new logins."""

    factories: int = 0
    products: int = 0
    logins: dict[str, str] = field(default_factory=dict)
    # Buyers added: (phone, member level, on account).
    buyers: list[tuple[str, str, bool]] = field(default_factory=list)


def demo_dir() -> Path:
    """Return the folder holding the demo centre's files."""
    return config_dir() / "demo"


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError([RowProblem(path.name, None, "TOML", "-", str(exc))]) from None


def _picture(sku: str, name: str, colour: str) -> str:
    """Return a small SVG standing in for a product photo: a tinted card with the name."""
    hue = int(hashlib.sha256(sku.encode()).hexdigest()[:2], 16) * 360 // 256
    lines = [name[i : i + 8] for i in range(0, min(len(name), 24), 8)]
    text = "".join(
        f'<text x="200" y="{230 + 46 * n}" font-size="40" text-anchor="middle" '
        f'fill="#222">{escape(line)}</text>'
        for n, line in enumerate(lines)
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" width="400" height="400">'
        f'<rect width="400" height="400" fill="hsl({hue},60%,92%)"/>'
        f'<rect x="110" y="50" width="180" height="130" rx="18" fill="hsl({hue},55%,55%)"/>'
        f'<rect x="0" y="370" width="400" height="30" fill="{colour}"/>'
        f'{text}<text x="200" y="392" font-size="20" text-anchor="middle" fill="#fff">'
        f"{escape(sku)}</text></svg>"
    )


def load_demo(
    session: Session, *, media_dir: Path, member_levels: list[str], business_types: list[str],
    folder: Path | None = None,
) -> DemoResult:
    """Load the demo centre; what exists already is left alone, so a second run changes nothing."""
    folder = folder or demo_dir()
    centre = _read(folder / "centre.toml")
    catalogue = _read(folder / "products.toml")
    sync_zones(session)
    loaded = load_catalogue(
        session,
        factory_rows=centre.get("factories", []),
        product_rows=catalogue.get("products", []),
        factory_source="centre.toml",
        product_source="products.toml",
        member_levels=member_levels,
        business_types=business_types,
        actor=ACTOR,
    )
    result = DemoResult(factories=len(loaded.factories), products=len(loaded.products))

    pictures = media_dir / "demo"
    for product in loaded.products:
        pictures.mkdir(parents=True, exist_ok=True)
        relative = f"demo/{product.sku}.svg"
        (media_dir / relative).write_text(
            _picture(product.sku, product.name_zh, product.slot.zone.colour), "utf-8"
        )
        product.images.append(ProductImage(position=0, path=relative))

    existing = set(session.scalars(select(User.username)))
    wanted = [(s["username"], s["display_name"], s["role"], None) for s in centre.get("staff", [])]
    wanted += [
        (factory.code.lower(), factory.name_zh, "factory", factory)
        for factory in session.scalars(select(Factory).order_by(Factory.code))
    ]
    for username, display_name, role, factory in wanted:
        if username in existing:
            continue
        password = secrets.token_urlsafe(9)
        user = User(username=username, display_name=display_name, role=role, factory=factory)
        user.set_password(password)
        session.add(user)
        result.logins[username] = password
    result.buyers = _buyers(session, centre.get("buyers", []), member_levels)
    session.flush()
    return result


def _buyers(session: Session, rows: list[dict], member_levels: list[str]) -> list[tuple]:
    """Add the demo's returning buyers that are not there yet: accounts whose phone a device
    proves with a code like any buyer's."""
    known = set(session.scalars(select(Buyer.phone)))
    added = []
    for row in rows:
        if row["phone"] in known or row["member_level"] not in member_levels:
            continue
        session.add(Buyer(phone=row["phone"], contact_phone=row["phone"], name=row["name"],
                          company=row.get("company", ""), business_type=row["business_type"],
                          member_level=row["member_level"],
                          on_account=row.get("on_account", False),
                          credit_limit_fen=round(row.get("credit_limit", 0) * 100)))
        added.append((row["phone"], row["member_level"], row.get("on_account", False)))
    return added
