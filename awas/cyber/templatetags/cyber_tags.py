"""Template filters of the cyber pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def reason_text(reason: Any) -> str:
    """A classifier reason (stored as a dict by the services) in the reader's language."""
    if not isinstance(reason, dict):
        return str(reason)
    kind = reason.get("kind")
    values = {
        "rule": reason.get("rule", ""),
        "matched": reason.get("matched", ""),
        "weight": formats.number_format(abs(float(reason.get("weight") or 0)), use_l10n=True),
    }
    if kind == "phrase":
        return _("phrase “%(rule)s” (+%(weight)s): “%(matched)s”") % values
    if kind == "combo":
        return _("combination “%(rule)s” (+%(weight)s): “%(matched)s”") % values
    if kind == "against":
        return _("neutral framing “%(rule)s” (−%(weight)s): “%(matched)s”") % values
    if kind == "schedule":
        if not values["matched"]:
            return _("no date: the campaign calendar cannot be checked")
        day = formats.date_format(dt.date.fromisoformat(values["matched"]), "j F Y")
        if reason.get("allowed"):
            return _("posted on %(day)s, in %(stage)s: campaigning allowed") % {
                "day": day,
                "stage": values["rule"],
            }
        return _("posted on %(day)s, in %(stage)s: campaigning not allowed") % {
            "day": day,
            "stage": values["rule"],
        }
    return str(reason)
