"""Where the shipped static/ and config/ folders are, in a checkout and in an installed wheel."""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # store_api/


def _shipped(name: str) -> Path:
    inside_wheel = _PACKAGE / "_shipped" / name
    if inside_wheel.is_dir():
        return inside_wheel
    return _PACKAGE.parent / name


def static_dir() -> Path:
    """Return the folder of CSS, JS, images and fonts shared by every page."""
    return _shipped("static")


def config_dir() -> Path:
    """Return the folder holding default.toml, zones.toml and the demo centre."""
    return _shipped("config")
