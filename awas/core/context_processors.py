from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from awas.core.access import access_of

# The main menu. An entry shows only to users whose role the page is granted to.
MENU = [
    ("core:home", _("Home")),
    ("dashboard:index", _("Dashboard")),
    ("regions:list", _("Regions & TPS")),
    ("regions:map", _("Map")),
    ("supervision:list", _("Form A (LHP)")),
    ("ikp:map", _("Vulnerability (IKP)")),
    ("ikp:kejadian_list", _("Kejadian")),
    ("cases:list", _("Cases")),
    ("cases:at_risk", _("Deadlines at risk")),
    ("cases:follow_ups", _("Overdue follow-ups")),
    ("cases:reminders", _("Reminders")),
    ("outreach:activity_list", _("Prevention")),
    ("outreach:cadre_list", _("Cadres & pemantau")),
    ("outreach:field_report", _("Send field information")),
    ("asn:overview", _("ASN neutrality")),
    ("cyber:queue", _("Cyber supervision")),
    ("core:audit_log", _("Audit log")),
]


# A count beside a menu entry (what waits for the user there): an app's selector taking the user,
# named by its dotted path so that core imports no app.
MENU_BADGES = {
    "cases:at_risk": "awas.cases.selectors.at_risk_count",
    "cases:follow_ups": "awas.cases.selectors.overdue_follow_up_count",
    "cases:reminders": "awas.cases.selectors.unread_reminder_count",
}


def navigation(request: HttpRequest) -> dict[str, Any]:
    user: Any = getattr(request, "user", None)
    items = []
    # Until the second factor is proved, the menu's pages would only bounce back to it.
    if user is not None and user.is_authenticated and (not user.needs_otp or user.is_verified()):
        for name, label in MENU:
            try:
                url = reverse(name)
            except NoReverseMatch:
                continue
            access = access_of(resolve(url).func)
            if access is not None and (access.roles is None or user.role in access.roles):
                badge = import_string(MENU_BADGES[name])(user) if name in MENU_BADGES else 0
                items.append(
                    {"name": name, "url": url, "label": label, "active": request.path == url, "badge": badge}
                )
    return {"menu": items, "menu_badge_total": sum(item["badge"] for item in items)}
