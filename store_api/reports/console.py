"""Reports in the staff console, for managers: each a table, a chart, and a CSV download."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask import Response, abort, render_template, request
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from shelf_labels.money import yuan
from store_api.catalogue.zones import all_zones
from store_api.core.errors import DomainError
from store_api.core.names import BUSINESS_TYPE_NAMES, CATEGORY_NAMES, LEVEL_NAMES
from store_api.core.sheet_cells import csv_bytes
from store_api.core.state import state
from store_api.fulfilment.consignment import Period, period
from store_api.reports import reports
from store_api.reports.charts import bar_chart
from store_api.staff.auth import manager_required
from store_api.web.formatting import localised
from store_api.web.routes import Routes
from store_api.web.session import db_session

routes = Routes()


@dataclass
class Section:
    """One table of a report, and the chart of one of its columns."""

    title: str
    columns: list
    rows: list[list]
    chart: Markup | None = None
    codes: tuple[int, ...] = ()  # columns of codes, shown as they are in every language


def _chart(title, rows: list[list], label: int, value: int, shown=str, *,
           in_order: bool = False) -> Markup | None:
    """The largest 20 non-zero values as bars (or every row in its order, for a series of
    days); None when there is nothing to draw."""
    bars = [(str(row[label]), float(row[value]), shown(row[value])) for row in rows]
    if not in_order:
        bars = sorted((bar for bar in bars if bar[1] > 0), key=lambda bar: -bar[1])[:20]
    return bar_chart(bars, str(title)) if any(bar[1] for bar in bars) else None


def _period() -> Period:
    """The dates asked for, or the last 30 days when none or bad ones are given."""
    timezone = state().settings.centre.timezone
    try:
        return period(request.args["from"][:10], request.args["to"][:10], timezone)
    except (KeyError, DomainError):
        return reports.last_days(30, timezone)


class Amount(int):
    """An amount in fen in a report's row: shown with ￥ on the page, written as plain yuan
    ("12.50") in the CSV, where a spreadsheet reads it as a number."""

    def __str__(self) -> str:
        return yuan(self)


def _csv_cell(cell):
    # A number the sheet keeps as a number, to the fen: 1250 is 12.50.
    return Decimal(int(cell)).scaleb(-2) if isinstance(cell, Amount) else cell


def _totals_section(title, key_title, totals, name=lambda key: key, *,
                    in_order: bool = False) -> Section:
    rows = [[name(t.key), t.units, Amount(t.amount_fen), t.orders] for t in totals]
    return Section(title, [key_title, _l("Units"), _l("Amount"), _l("Orders")], rows,
                   _chart(title, rows, 0, 2, in_order=in_order))


def _zone_names() -> dict[str, str]:
    return {zone.code: localised(zone, "name") for zone in all_zones(db_session())}


def _sales(period) -> list[Section]:
    found = reports.sales(db_session(), period)
    zones = _zone_names()
    return [_totals_section(_l("Sales by zone"), _l("Zone"), found["zone"],
                            lambda code: zones.get(code, code)),
            _totals_section(_l("Sales by factory"), _l("Factory"), found["factory"]),
            _totals_section(_l("Sales by day"), _l("Day"), found["day"], in_order=True)]


def _funnel_section(title, funnels, label: int = 0) -> Section:
    rows = [[f.key, localised(f, "label"), f.scans, f.visitors, f.carted, f.ordered,
             f.converted, "" if f.conversion_percent is None else f.conversion_percent]
            for f in funnels]
    return Section(title, [_l("Code"), _l("Where"), _l("Scans"), _l("Scanning visitors"),
                           _l("Carts"), _l("All orders"), _l("Visitors who ordered"),
                           _l("Scanning visitors who ordered (%)")], rows,
                   _chart(title, rows, label, 3), codes=(0,))


def _conversion(period) -> list[Section]:
    found = reports.conversion(db_session(), period)
    return [_funnel_section(_l("Scanned but not ordered"), found["leaders"]),
            _funnel_section(_l("Conversion by zone"), found["zone"], label=1),  # by name
            _funnel_section(_l("Conversion by slot"), found["slot"])]


def _slow_movers(period) -> list[Section]:
    settings = state().settings
    rows = [[m.factory, m.row.sku, localised(m.row, "name"), m.row.available,
             m.row.last_sale.date().isoformat() if m.row.last_sale else "",
             Amount(m.row.offer_value_fen)]
            for m in reports.slow_movers(db_session(), settings.consignment.unsold_days,
                                         settings.consignment.return_offer_percent)]
    title = _l("No sale in %(days)s days: return candidates",
               days=settings.consignment.unsold_days)
    return [Section(title, [_l("Factory"), _l("SKU"), _l("Product"), _l("Units in the centre"),
                            _l("Last sale"), _l("Value at the return offer")], rows,
                    _chart(title, rows, 1, 3))]


def _velocity(period) -> list[Section]:
    rows = [[v.sku, localised(v, "name"), v.week_units, v.week_rate, v.month_units,
             v.month_rate, _l("rising") if v.rising else ""]
            for v in reports.velocity(db_session(), state().settings.centre.timezone)]
    title = _l("Units a day, last 7 days")
    return [Section(_l("Bestseller velocity"), [
        _l("SKU"), _l("Product"), _l("Units, 7 days"), _l("Per day, 7 days"),
        _l("Units, 30 days"), _l("Per day, 30 days"), _l("Trend")], rows,
        _chart(title, rows, 0, 3))]


def _buyers(period) -> list[Section]:
    rows = [[str(BUSINESS_TYPE_NAMES.get(kind, kind)), str(LEVEL_NAMES.get(level, level)),
             count] for kind, level, count in reports.buyers(db_session())]
    title = _l("Buyers by business type and member level")
    labelled = [[f"{row[0]} · {row[1]}", row[2]] for row in rows]
    return [Section(title, [_l("Business type"), _l("Member level"), _l("Buyers")], rows,
                    _chart(title, labelled, 0, 1))]


def _what_types_buy(period) -> list[Section]:
    return [_totals_section(
        _l("What %(kind)s buyers buy", kind=BUSINESS_TYPE_NAMES.get(kind, kind)),
        _l("Category"), totals, lambda key: str(CATEGORY_NAMES.get(key, key)))
        for kind, totals in reports.what_types_buy(db_session(), period).items()]


REPORTS = {
    "sales": (_l("Sales by zone, factory and day"), _sales),
    "conversion": (_l("Scan to cart to order"), _conversion),
    "slow-movers": (_l("Slow movers"), _slow_movers),
    "velocity": (_l("Bestseller velocity"), _velocity),
    "buyers": (_l("Buyers"), _buyers),
    "business-types": (_l("What each business type buys"), _what_types_buy),
}


@routes.get("/reports", endpoint="reports")
@manager_required
def reports_index():
    """The list of reports."""
    return render_template("console/reports.html", reports=REPORTS, name=None)


@routes.get("/reports/<name>")
@manager_required
def report(name: str):
    """One report as tables with charts."""
    if name not in REPORTS:
        abort(404)
    title, build = REPORTS[name]
    period = _period()
    return render_template("console/reports.html", reports=REPORTS, name=name, title=title,
                           sections=build(period), period=period)


@routes.get("/reports/<name>.csv")
@manager_required
def report_csv(name: str):
    """One report's tables as CSV, each row led by its table's title."""
    if name not in REPORTS:
        abort(404)
    rows = []
    for section in REPORTS[name][1](_period()):
        rows.append([_l("Table"), *(str(c) for c in section.columns)])
        rows += [[str(section.title), *map(_csv_cell, row)] for row in section.rows]
    return Response(csv_bytes(rows), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})

