"""The buyer's device: its cart token, the account it signed in to by proving a phone, or the
guest details it typed, all kept in the signed session cookie."""

from __future__ import annotations

from flask import g, request, session
from sqlalchemy.orm import Session

from store_api.buyers import buyers, devices, sign_in
from store_api.buyers.models import Buyer, BuyerDevice
from store_api.core.state import state
from store_api.orders import carts, shortlists
from store_api.orders import reorder as again
from store_api.web.session import db_session

CART, COMPARE, DEVICE, GUEST, LISTS = "cart", "compare", "device", "guest", "lists"
MAX_COMPARED = 4  # side by side on a phone held upright, four columns still read
# A plain cookie the scan page gives every phone, signed in or not: scans and the orders
# placed from the same phone meet through it in the scan-to-order report.
SCANNER_COOKIE = "device"


def _kept(key: str, kind: type):
    value = session.get(key)
    return value if isinstance(value, kind) else None


def _keep(key: str, value) -> None:
    session.permanent = True
    session[key] = value


def scanner_id() -> str | None:
    """Return the id the scan page gave this phone, if it has scanned."""
    return request.cookies.get(SCANNER_COOKIE, "")[:32] or None


def compared() -> list[str]:
    """Return the SKUs this device put side by side, oldest first."""
    return [sku for sku in _kept(COMPARE, list) or [] if isinstance(sku, str)][:MAX_COMPARED]


def compare(sku: str, *, add: bool) -> None:
    """Put a SKU beside the others (the oldest leaves past four), or take it away."""
    kept = [s for s in compared() if s != sku]
    _keep(COMPARE, ([*kept, sku] if add else kept)[-MAX_COMPARED:])


def my_shortlists(db_session: Session) -> tuple[list[shortlists.Shortlist], int | None]:
    """Return the shortlists this device keeps and its account's, and the account's id."""
    buyer = current_buyer(db_session)
    account = buyer.id if buyer is not None and not buyer.is_guest else None
    return shortlists.kept(db_session, kept_lists(), account), account


def level() -> tuple[str, str]:
    """Return the member level this device sees prices at, and the base level."""
    base = state().settings.catalogue.member_levels[0]
    buyer = current_buyer(db_session())
    return (buyer.member_level if buyer else base), base


def cart_token() -> str | None:
    """Return this device's cart token, if it has a cart."""
    return _kept(CART, str)


def remember_cart(token: str) -> None:
    """Keep the cart's token on the device."""
    _keep(CART, token)


def kept_lists() -> list[str]:
    """Return the edit tokens of the shortlists this device keeps, newest first."""
    tokens = _kept(LISTS, list) or []
    return [token for token in tokens if isinstance(token, str)]


def keep_list(token: str) -> None:
    """Keep a shortlist on this device (made here, or opened by its edit link)."""
    tokens = [token] + [t for t in kept_lists() if t != token]
    _keep(LISTS, tokens[:shortlists.MAX_LISTS])


def _signed_in(db_session: Session) -> tuple[Buyer, BuyerDevice] | None:
    if "signed_in" not in g:
        found = devices.signed_in(db_session, _kept(DEVICE, str))
        if found is not None:
            devices.keep_alive(state().db, found[1],
                               days=state().settings.buyers.session_days)
        g.signed_in = found
    return g.signed_in


def current_device(db_session: Session) -> BuyerDevice | None:
    """Return this device's sign-in to an account, if it proved a phone."""
    found = _signed_in(db_session)
    return found[1] if found else None


def current_buyer(db_session: Session) -> Buyer | None:
    """Return the account this device signed in to, else the guest it said it is, or None."""
    found = _signed_in(db_session)
    if found is not None:
        return found[0]
    guest_id = _kept(GUEST, int)
    guest = db_session.get(Buyer, guest_id) if guest_id else None
    return guest if guest is not None and guest.is_guest else None


def buyer_id() -> int | None:
    """Return the id of this device's account or guest, if any."""
    buyer = current_buyer(db_session())
    return buyer.id if buyer else None


def say_who(*, phone, name, company, business_type) -> int:
    """Keep what this device says of its buyer without proof, as a guest (the same guest each
    time it says it again), and give the guest the cart; return the guest's id."""
    settings = state().settings
    guest_id = buyers.guest(state().db, phone=phone, name=name, company=company,
                            business_type=business_type,
                            business_types=settings.catalogue.business_types,
                            base_level=settings.catalogue.member_levels[0],
                            guest_id=_kept(GUEST, int))
    _keep(GUEST, guest_id)
    carts.attach_buyer(state().db, cart_token(), guest_id)
    return guest_id


def prove_phone(phone, code) -> int:
    """Sign this device in to the phone's account with the code sent to it; return the
    account's id."""
    settings = state().settings
    buyer_id, token = sign_in.prove(
        state().db, phone, code, rules=settings.buyers, key=_key(),
        label=devices.device_label(request.user_agent.string),
        base_level=settings.catalogue.member_levels[0],
        guest_id=_kept(GUEST, int))
    _keep(DEVICE, token)
    g.pop("signed_in", None)
    carts.attach_buyer(state().db, cart_token(), buyer_id)
    return buyer_id


def send_code(phone) -> str:
    """Send a one-time code to a phone number for this device; return the checked number."""
    return sign_in.request_code(state().db, phone, address=request.remote_addr or "",
                                rules=state().settings.buyers, key=_key())


def sign_out(db_session: Session) -> None:
    """End this device's sign-in (the account's other devices stay signed in)."""
    found = _signed_in(db_session)
    if found is not None:
        devices.end(state().db, found[0].id, found[1].id)
    session.pop(DEVICE, None)
    g.pop("signed_in", None)


def reorder(buyer: Buyer, number: str) -> list[again.Again]:
    """Put one of the account's past orders in this device's cart at today's terms; return
    what each line became."""
    settings = state().settings
    token, lines = again.reorder(
        state().db, number, buyer.id, cart_token(), level=buyer.member_level,
        base_level=settings.catalogue.member_levels[0], idle_minutes=settings.carts.idle_minutes)
    if token:
        remember_cart(token)
    return lines


def forget(db_session: Session) -> None:
    """Leave nothing of this buyer on the device: the sign-in ended, the cart and the guest
    details and the products compared dropped (a shared touch kiosk starting over)."""
    sign_out(db_session)
    for key in (CART, COMPARE, GUEST, LISTS):
        session.pop(key, None)


def _key() -> bytes:
    return state().app.config["SECRET_KEY"].encode()


def cart_view(db_session: Session, buyer: Buyer | None) -> carts.CartView:
    """Return this device's cart priced for its buyer."""
    settings = state().settings
    base = settings.catalogue.member_levels[0]
    return carts.view(db_session, cart_token(), level=buyer.member_level if buyer else base,
                      base_level=base, idle_minutes=settings.carts.idle_minutes)
