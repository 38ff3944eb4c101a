"""Product pictures kept under var/media."""

from flask import Blueprint, send_from_directory

from store_api.core.state import state

bp = Blueprint("media", __name__)


@bp.get("/media/<path:path>")
def media(path: str):
    """Serve one stored picture; paths outside the folder are refused."""
    return send_from_directory(state().media_dir, path, max_age=24 * 3600)
