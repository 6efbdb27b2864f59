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


@register.inclusion_tag("asn/_case_panel.html", takes_context=True)
def asn_case_panel(context: dict[str, Any], case: Any) -> dict[str, Any]:
    """The ASN section of a case's page (``cases/detail.html``): the case's links to the register
    and their sanction follow-up. The cases app imports nothing of this app; its page loads this
    tag, and what it shows is decided here, by this app's permissions.

    A panel naming a person of the register (name, NIP) adds "asn" to the page's
    ``personal_shown``: the case page logs it in its daily ``case.personal_viewed`` entry, after
    rendering, with the pelapor and saksi it shows (UU 27/2022). Nothing is written from here."""
    from awas.asn.selectors import case_panel
    from awas.cases.formatting import today_local

    request = context.get("request")
    user = getattr(request, "user", None)
    if case is None or user is None:
        return {"panel": None}
    panel = case_panel(user, case, today_local())
    if panel is not None and any(row.person for row in panel.rows):
        context["personal_shown"].append("asn")
    return {"panel": panel, "case": case}


@register.filter
def nip(value: str | None) -> str:
    """The NIP in its four parts, as the register's pages print it."""
    from awas.asn.forms import nip_display

    return nip_display(value)


@register.filter
def percent(value: float) -> str:
    """0.253 → "25,3%" (Indonesian decimal comma comes from the locale's number format)."""
    from django.utils.formats import number_format

    return f"{number_format(float(value) * 100, 1)}%"


@register.filter
def points(value: float) -> str:
    from django.utils.formats import number_format

    return number_format(float(value), 1)
