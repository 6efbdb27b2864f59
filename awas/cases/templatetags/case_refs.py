"""How staff pages name a case without showing a tracking code to a role that may not see it.

``{{ case|case_ref:user }}``: the registration number; before registration the tracking code for
the roles that may see it (``permissions.sees_tracking_code``), else the record number (``#12``).
``{{ case|tracking_code_for:user }}``: the tracking code, or "" for a role that may not see it.
"""

from __future__ import annotations

from typing import Any

from django import template

from awas.cases.permissions import sees_tracking_code

register = template.Library()


@register.filter
def case_ref(case: Any, user: Any) -> str:
    if case.registration_number:
        return str(case.registration_number)
    if sees_tracking_code(user, case):
        return str(case.tracking_code)
    return f"#{case.pk}"


@register.filter
def tracking_code_for(case: Any, user: Any) -> str:
    return str(case.tracking_code) if sees_tracking_code(user, case) else ""
