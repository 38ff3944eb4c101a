"""Product pictures kept under var/media, and the site's icon."""

from flask import Blueprint, send_from_directory

from store_api.core.resources import static_dir
from store_api.core.state import state

bp = Blueprint("media", __name__)


@bp.get("/media/<path:path>")
def media(path: str):
    """Serve one stored picture; paths outside the folder are refused."""
    return send_from_directory(state().media_dir, path, max_age=24 * 3600)


@bp.get("/favicon.ico")
def favicon():
    """Serve the site's icon where browsers look for it without being told."""
    return send_from_directory(static_dir(), "favicon.ico", mimetype="image/vnd.microsoft.icon",
                               max_age=7 * 24 * 3600)
