"""Template helpers shared by every page."""

from flask import Flask
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from store_api.state import state

# Names of the member levels known out of the box; a level added in settings shows its code.
_LEVEL_NAMES = {
    "standard": _l("Standard"),
    "silver": _l("Silver member"),
    "gold": _l("Gold member"),
}


def yuan(fen: int | None) -> str:
    """Format an amount in fen as ￥12.50."""
    if fen is None:
        return ""
    return f"￥{fen // 100:,}.{fen % 100:02d}"


def localised(obj, field: str) -> str:
    """Return obj.<field>_zh or obj.<field>_en for the page's language."""
    language = "en" if str(get_locale()).startswith("en") else "zh"
    return getattr(obj, f"{field}_{language}") or getattr(obj, f"{field}_zh")


def member_level_names() -> dict[str, str]:
    """Return the display name of every configured member level."""
    return {level: str(_LEVEL_NAMES.get(level, level))
            for level in state().settings["catalogue.member_levels"]}


def init_app(app: Flask) -> None:
    """Register the helpers with Jinja."""
    app.add_template_filter(yuan)
    app.add_template_global(localised)
    app.add_template_global(lambda: str(get_locale()), "current_locale")
