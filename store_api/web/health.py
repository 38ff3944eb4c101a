"""Liveness and readiness for load balancers and process supervisors."""

from flask import Blueprint, jsonify
from sqlalchemy import text

from store_api.core import migrate
from store_api.core.state import state

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Answer while the process runs."""
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    """Check the database, its schema revision, and Redis when it is configured."""
    app_state = state()
    checks: dict[str, dict] = {}
    try:
        with app_state.db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        checks["database"] = {"ok": True}
        current, head = migrate.current_revision(app_state.db.engine), migrate.head_revision()
        checks["migrations"] = {"ok": current == head, "current": current, "head": head}
    except Exception as exc:  # noqa: BLE001 - any failure means not ready; say which
        checks["database"] = {"ok": False, "error": type(exc).__name__}
    if app_state.redis is not None:
        try:
            app_state.redis.ping()
            checks["redis"] = {"ok": True}
        except Exception as exc:  # noqa: BLE001
            checks["redis"] = {"ok": False, "error": type(exc).__name__}
    ready = all(check["ok"] for check in checks.values())
    return jsonify(status="ready" if ready else "not ready", checks=checks), 200 if ready else 503
