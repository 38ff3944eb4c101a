"""Template helpers shared by every page."""

from datetime import datetime

from flask import Flask
from flask_babel import format_datetime, get_locale

from shelf_labels.money import yuan
from store_api.core.names import (
    ADJUST_REASON_NAMES,
    BUSINESS_TYPE_NAMES,
    CATEGORY_NAMES,
    CLOSED_AT_NAMES,
    FACTORY_FIELD_NAMES,
    FORWARD_REASON_NAMES,
    FORWARD_STATE_NAMES,
    FULFILMENT_MODE_NAMES,
    GROUP_NAMES,
    GROUP_STATUS_NAMES,
    LABEL_FACT_NAMES,
    LEVEL_NAMES,
    ORDER_STATUS_NAMES,
    PAYMENT_METHOD_NAMES,
    PRINT_KIND_NAMES,
    PRINT_STATUS_NAMES,
    PRINTER_NAMES,
    ROLE_NAMES,
    TOPIC_NAMES,
)
from store_api.core.state import state


def localtime(moment: datetime | None) -> str:
    """Format a stored UTC time as the centre's local hour and minute."""
    return format_datetime(moment, "HH:mm") if moment is not None else ""


def localdate(moment: datetime | None) -> str:
    """Format a stored UTC time as the centre's local date."""
    return format_datetime(moment, "yyyy-MM-dd") if moment is not None else ""


def localdatetime(moment: datetime | None) -> str:
    """Format a stored UTC time as the centre's local date, hour and minute."""
    return format_datetime(moment, "yyyy-MM-dd HH:mm") if moment is not None else ""


def localised(obj, field: str) -> str:
    """Return obj.<field>_zh or obj.<field>_en (or those keys of a dict) for the page's
    language."""
    language = "en" if str(get_locale()).startswith("en") else "zh"
    get = obj.get if isinstance(obj, dict) else lambda name: getattr(obj, name)
    return get(f"{field}_{language}") or get(f"{field}_zh")


def member_level_names() -> dict[str, str]:
    """Return the display name of every configured member level."""
    return {level: str(LEVEL_NAMES.get(level, level))
            for level in state().settings.catalogue.member_levels}


def init_app(app: Flask) -> None:
    """Register the helpers with Jinja."""
    app.add_template_filter(yuan)  # the one way an amount is shown
    app.add_template_filter(localtime)
    app.add_template_filter(localdate)
    app.add_template_filter(localdatetime)
    app.add_template_global(localised)
    app.add_template_global(lambda: str(get_locale()), "current_locale")
    app.add_template_global(lambda key: state().settings[key], "setting")
    app.jinja_env.globals.update(
        business_type_names=BUSINESS_TYPE_NAMES, status_names=ORDER_STATUS_NAMES,
        group_names=GROUP_NAMES, group_status_names=GROUP_STATUS_NAMES,
        payment_method_names=PAYMENT_METHOD_NAMES, print_status_names=PRINT_STATUS_NAMES,
        fact_names=LABEL_FACT_NAMES, forward_state_names=FORWARD_STATE_NAMES,
        forward_reason_names=FORWARD_REASON_NAMES, category_names=CATEGORY_NAMES,
        adjust_reason_names=ADJUST_REASON_NAMES, fulfilment_mode_names=FULFILMENT_MODE_NAMES,
        role_names=ROLE_NAMES, factory_field_names=FACTORY_FIELD_NAMES, topic_names=TOPIC_NAMES,
        level_names=LEVEL_NAMES, printer_names=PRINTER_NAMES, print_kind_names=PRINT_KIND_NAMES,
        closed_at_names=CLOSED_AT_NAMES,
    )
