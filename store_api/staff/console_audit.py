"""The audit log in the staff console, for managers."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask import render_template, request
from flask_babel import get_timezone

from store_api.core import audit
from store_api.staff.auth import manager_required
from store_api.web.routes import Routes
from store_api.web.session import db_session

routes = Routes()


def _day(text: str, *, end: bool = False) -> datetime | None:
    """A date typed in the centre's time zone as the instant its day starts (or ends)."""
    try:
        day = datetime.strptime(text[:10], "%Y-%m-%d").date()
    except ValueError:
        return None
    start = datetime.combine(day, time(), tzinfo=get_timezone())
    return start + timedelta(days=1) if end else start


@routes.get("/audit")
@manager_required
def audit_log():
    """Who changed what and when, with the fields before and after; filtered by person,
    kind of record, action and dates."""
    args = request.args
    where = audit.Filter(actor=args.get("actor", "")[:100], entity=args.get("entity", "")[:40],
                         action=args.get("action", "")[:40],
                         since=_day(args.get("since", "")),
                         until=_day(args.get("until", ""), end=True))
    return render_template("console/audit.html", entries=audit.entries(db_session(), where),
                           where=where, args=args)
