"""The app's sub-menu: the ASN pages the signed-in user's role may open."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from awas.asn import permissions

register = template.Library()

PAGES = (
    ("asn:overview", _("Map and counts"), permissions.AGGREGATE),
    ("asn:persons", _("Register"), permissions.REGISTER_VIEW),
    ("asn:import", _("Import roster"), permissions.ROSTER_IMPORT),
    ("asn:catalogue", _("SKB 2022 catalogue"), permissions.CATALOGUE),
    ("asn:follow_ups", _("Sanction follow-up"), permissions.FOLLOW_UP_VIEW),
    ("asn:overdue", _("Overdue PPK decisions"), permissions.FOLLOW_UP_VIEW),
    ("asn:letters", _("Imbauan letters"), permissions.LETTERS_VIEW),
    ("asn:settings", _("Weights and settings"), permissions.SETTINGS),
)


@register.inclusion_tag("asn/_nav.html", takes_context=True)
def asn_nav(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    role = getattr(user, "role", None)
    path = getattr(request, "path", "")
    items = []
    for name, label, roles in PAGES:
        if role in roles:
            url = reverse(name)
            items.append({"url": url, "label": label, "active": path == url})
    return {"items": items}


@register.filter
def percent(value: float) -> str:
    """0.253 → "25,3%" (Indonesian decimal comma comes from the locale's number format)."""
    from django.utils.formats import number_format

    return f"{number_format(float(value) * 100, 1)}%"


@register.filter
def points(value: float) -> str:
    from django.utils.formats import number_format

    return number_format(float(value), 1)
