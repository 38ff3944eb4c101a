"""The `xuanpin` command: set up, load the demo centre, serve, work, check."""

from __future__ import annotations

import signal
import sys
import threading
import tomllib
from pathlib import Path

import click
from sqlalchemy import func, select

from store_api.core import migrate
from store_api.core.audit import Actor
from store_api.core.errors import CatalogueError
from store_api.core.settings import SettingsError
from store_api.staff.models import ROLES

# Changes made from the command line are recorded in the audit log under this name.
CLI = Actor(None, "cli")

DEMO_LOGINS = "demo-logins.toml"


def _app():
    from store_api import create_app

    try:
        return create_app()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from None


@click.group()
def main() -> None:
    """Store server for a selection centre."""


@main.command()
def init() -> None:
    """Create the database, or upgrade it to the newest schema."""
    from store_api.catalogue.zones import sync_zones
    from store_api.core.state import state

    app = _app()
    app_state = state(app)
    with app.app_context():
        migrate.upgrade(app_state.db.engine)
        with app_state.db.unit_of_work() as session:
            sync_zones(session)
    click.echo(f"database ready at revision {migrate.head_revision()}")


def _demo_logins_path(app) -> Path:
    from store_api.core.state import state

    return state(app).settings.var_dir / DEMO_LOGINS


@main.command()
@click.option("--if-empty", is_flag=True, help="Load only when the catalogue has no product.")
@click.option("--path", "folder", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Load a catalogue folder of the demo format instead of the demo centre.")
def demo(if_empty: bool, folder: Path | None) -> None:
    """Load the demo centre; running it twice changes nothing."""
    from store_api.catalogue.models import Product
    from store_api.core.state import state
    from store_api.demo.centre import load_demo

    app = _app()
    app_state = state(app)
    settings = app_state.settings
    with app.app_context():
        with app_state.db.unit_of_work() as session:
            if if_empty and session.scalar(select(func.count(Product.id))):
                click.echo("catalogue already loaded; demo skipped")
                return
            try:
                result = load_demo(
                    session, media_dir=app_state.media_dir, folder=folder,
                    member_levels=settings.catalogue.member_levels,
                    business_types=settings.catalogue.business_types,
                )
            except CatalogueError as exc:
                raise click.ClickException(str(exc)) from None
        if result.logins:
            path = _demo_logins_path(app)
            known = tomllib.loads(path.read_text("utf-8")) if path.exists() else {}
            known.update(result.logins)
            path.write_text("".join(f'{user} = "{pw}"\n' for user, pw in sorted(known.items())))
            path.chmod(0o600)
    click.echo(f"demo centre: {result.factories} factories and {result.products} products added")
    for username, password in result.logins.items():
        click.echo(f"  login {username} / {password}")
    for line in _buyer_lines(result.buyers):
        click.echo(f"  {line}")


def _buyer_lines(buyers) -> list[str]:
    """Lines `buyer PHONE LEVEL`, with `on-account` for a buyer who may pay on account."""
    return [f"buyer {phone} {level}" + (" on-account" if on_account else "")
            for phone, level, on_account in buyers]


def _print_urls(app, host: str, port: int) -> None:
    from store_api.buyers.models import Buyer
    from store_api.catalogue.models import ShelfSlot, Zone
    from store_api.core.state import state

    base = f"http://{host}:{port}"
    # Only pages this build serves are listed; areas still to come stay out of the list.
    served = {rule.rule for rule in app.url_map.iter_rules()}
    with state(app).db.read_session() as session:
        slot = session.scalar(
            select(ShelfSlot).where(ShelfSlot.product_id.is_not(None)).order_by(ShelfSlot.id)
        )
        zones = list(session.scalars(select(Zone.code).order_by(Zone.id)))
    click.echo("")
    click.echo("xuanpin is starting. Open:")
    if "/" in served:
        click.echo(f"  the buyer's phone home          {base}/")
    if slot is not None:
        click.echo(f"  scan page (a demo shelf label)  {base}/s/{slot.code}")
    if "/console/" in served:
        click.echo(f"  staff console                   {base}/console/")
    if "/display/<zone>" in served:
        for zone in zones:
            click.echo(f"  zone display {zone:<18} {base}/display/{zone}")
    if "/kiosk" in served:
        click.echo(f"  touch kiosk                     {base}/kiosk")
        click.echo(f"  a new screen to approve         {base}/display")
    if "/portal/" in served:
        click.echo(f"  factory portal                  {base}/portal/")
    click.echo(f"  readiness                       {base}/readyz")
    path = _demo_logins_path(app)
    if path.exists():
        click.echo("  demo logins (demo only):")
        for username, password in tomllib.loads(path.read_text("utf-8")).items():
            click.echo(f"    {username:<10} {password}")
        with state(app).db.read_session() as session:
            buyers = session.execute(select(Buyer.phone, Buyer.member_level, Buyer.on_account)
                                     .where(Buyer.phone.is_not(None)).order_by(Buyer.id)
                                     .limit(10)).all()
        if buyers:
            click.echo("  demo buyers (sign in at /signin; the code is in this log):")
            for line in _buyer_lines(buyers):
                click.echo(f"    {line}")
    click.echo("")


def _binding(port_setting: str):
    """Add the --host and --port options of a server command."""

    def add(command):
        command = click.option("--port", default=None, type=click.IntRange(1, 65535),
                               help=f"Port to bind (default: {port_setting}).")(command)
        return click.option("--host", default=None,
                            help="Address to bind (default: server.host).")(command)

    return add


@main.command()
@_binding("server.port")
def serve(host: str | None, port: int | None) -> None:
    """Serve the store with gunicorn, and run the worker in a thread."""
    from store_api.core.state import state
    from store_api.serving import StoreServer

    app = _app()
    settings = state(app).settings
    host = host or settings.server.host
    port = port or settings.server.port
    current, head = migrate.current_revision(state(app).db.engine), migrate.head_revision()
    if current != head:
        raise click.ClickException(
            f"database at revision {current}, code at {head}: run `xuanpin init`"
        )
    _print_urls(app, host, port)
    if settings.server.workers > 1 and not settings.redis.url:
        click.echo("warning: several workers without XUANPIN_REDIS_URL: live pages may miss "
                   "changes made in another worker until their next refresh", err=True)
    state(app).db.dispose()
    StoreServer(settings, host, port).run()


@main.command()
@_binding("streams.port")
def streams(host: str | None, port: int | None) -> None:
    """Serve event streams (zone screens, order pages) with gevent workers, for many at once."""
    from store_api.core.state import state
    from store_api.serving import StoreServer

    app = _app()
    settings = state(app).settings
    if not settings.redis.url:
        raise click.ClickException("xuanpin streams needs XUANPIN_REDIS_URL: its streams hear "
                                   "of changes through Redis")
    host, port = host or settings.server.host, port or settings.streams.port
    click.echo(f"event streams on http://{host}:{port} (route /display/*/events and "
               "/orders/*/events here)")
    state(app).db.dispose()
    StoreServer(settings, host, port, streams=True).run()


@main.command()
def worker() -> None:
    """Run the background worker alone, until SIGTERM or Ctrl-C."""
    from store_api.core.state import state
    from store_api.core.worker import Worker

    app = _app()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    with app.app_context():
        Worker(state(app)).run_forever(stop)


@main.command()
def check() -> None:
    """Rebuild stock levels from the ledger and compare, and hold what orders reserved in the
    ledger against their reserved allocations; exit 1 on any drift."""
    from store_api.core.state import state
    from store_api.orders.allocations import disagreements
    from store_api.stock.inventory import check_ledger

    app = _app()
    with state(app).db.read_session() as session:
        drifts = check_ledger(session)
        unallocated = disagreements(session)
    for d in drifts:
        click.echo(
            f"drift: product {d.product_id} at location {d.location_id}: level "
            f"on_hand={d.on_hand} reserved={d.reserved}, ledger on_hand={d.ledger_on_hand} "
            f"reserved={d.ledger_reserved}"
        )
    for product, location, reserved, allocated in unallocated:
        click.echo(f"drift: product {product} at location {location}: orders' ledger rows "
                   f"reserved={reserved}, orders' allocations reserved={allocated}")
    if drifts or unallocated:
        click.echo(f"{len(drifts)} stock levels disagree with the ledger, {len(unallocated)} "
                   "with the orders' allocations", err=True)
        sys.exit(1)
    click.echo("stock levels agree with the ledger and the orders' allocations")


@main.command()
@click.option("--template", "template_name", required=True, help="Label template name.")
@click.option("--all", "everything", is_flag=True, help="Every active slot.")
@click.option("--zone", default=None, help="The slots of one zone.")
@click.option("--stale", is_flag=True, help="Slots whose printed label no longer matches.")
@click.option("--slot", "codes", multiple=True, help="A slot code; give it again for more.")
@click.option("--skip", default=0, type=click.IntRange(0, 99),
              help="Positions of a partly used first sheet to leave empty.")
@click.option("--copies", default=1, type=click.IntRange(1, 100), help="Copies of each label.")
@click.option("--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The PDF to write.")
def labels(template_name, everything, zone, stale, codes, skip, copies, output) -> None:
    """Print shelf labels to a PDF (all, a zone, stale ones, or given slots)."""
    from store_api.core.errors import DomainError
    from store_api.core.state import state
    from store_api.printing import labels as label_service

    app = _app()
    settings = state(app).settings
    base_level = settings.catalogue.member_levels[0]
    with app.app_context():
        try:
            with state(app).db.read_session() as session:
                chosen = [slot.id for slot in label_service.select_slots(
                    session, everything=everything, zone=zone, codes=list(codes), stale=stale,
                    base_level=base_level)]
            with click.progressbar(length=len(chosen), label="labels",
                                   file=sys.stderr) as bar:
                pdf = label_service.print_labels(
                    state(app).db, chosen, template_name=template_name,
                    base_url=settings.server.public_base_url, base_level=base_level,
                    font_path=Path(settings.labels.font_path), skip=skip, copies=copies,
                    progress=lambda done: bar.update(done - bar.pos))
        except DomainError as exc:
            raise click.ClickException(str(exc)) from None
    output.write_bytes(pdf)
    click.echo(f"{len(chosen)} labels written to {output}")


@main.command()
def factories() -> None:
    """List factories: code, name, fulfilment mode and webhook state."""
    from store_api.core.state import state
    from store_api.factories.models import Factory

    app = _app()
    with state(app).db.read_session() as session:
        for factory in session.scalars(select(Factory).order_by(Factory.code)):
            hook = factory.webhook_url or "portal only (no webhook)"
            token = "api token set" if factory.api_token_hash else "no api token"
            click.echo(f"{factory.code:<8} {factory.name_zh}  {factory.fulfilment_mode:<14} "
                       f"{token:<13} {hook}")


@main.command("factory-token")
@click.argument("code")
@click.option("--revoke", is_flag=True, help="Stop the factory's token working; issue none.")
def factory_token(code: str, revoke: bool) -> None:
    """Give a factory a new API token and print it, once (the old one stops working)."""
    from store_api.core.errors import DomainError
    from store_api.core.state import state
    from store_api.factories import access as factory_access

    db = state(_app()).db
    try:
        if revoke:
            factory_access.revoke_token(db, code, actor=CLI)
            click.echo(f"api token of {code} revoked")
            return
        token = factory_access.new_token(db, code, actor=CLI)
    except DomainError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"api token of {code} (shown once; give it to the factory): {token}")


@main.command("factory-webhook")
@click.argument("code")
@click.argument("url")
@click.option("--keep-old-hours", default=24, type=click.IntRange(0, 720), show_default=True,
              help="Hours the old secret keeps signing too, while the factory switches.")
def factory_webhook(code: str, url: str, keep_old_hours: int) -> None:
    """Set a factory's webhook URL and print its new signing secret, once."""
    from store_api.core.errors import DomainError
    from store_api.core.state import state
    from store_api.fulfilment import factories

    app = _app()
    try:
        secret = factories.set_webhook(
            state(app).db, code, url, keep_old_hours=keep_old_hours,
            app_secret=app.config["SECRET_KEY"],
            allow_private=state(app).settings.fulfilment.allow_private_webhooks, actor=CLI)
    except DomainError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"webhook of {code} set to {url}")
    click.echo(f"signing secret (shown once; give it to the factory): {secret}")


@main.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES),
              default="staff", show_default=True)
@click.option("--name", "display_name", default=None, help="Name shown in the console.")
@click.option("--factory", "factory_code", default=None, help="Factory code, for role factory.")
@click.password_option(help="Password (asked for when not given).")
def create_user(username, role, display_name, factory_code, password) -> None:
    """Create a staff or factory portal login."""
    from store_api.core.errors import DomainError
    from store_api.core.state import state
    from store_api.staff import users

    try:
        users.create(state(_app()).db, username=username, display_name=display_name,
                     role=role, password=password, factory_code=factory_code, actor=CLI)
    except DomainError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"user {username} ({role}) created")


if __name__ == "__main__":
    main()
