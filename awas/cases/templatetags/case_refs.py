"""How staff pages name a case without showing a tracking code to a role that may not see it.

``{{ case|case_ref:user }}``: the registration number; before registration the tracking code for
the roles that may see it (``permissions.sees_tracking_code``), else the record number (``#12``).
``{{ case|tracking_code_for:user }}``: the tracking code, or "" for a role that may not see it.
"""

from __future__ import annotations

from typing import Any

from django import template

from awas.cases.models import outcome_label
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
def outcome_for(outcome: str, election_type: str) -> str:
    """``{{ decision.outcome|outcome_for:case.election_type }}``: the outcome in its law's words."""
    return outcome_label(outcome, election_type)


@register.filter
def tracking_code_for(case: Any, user: Any) -> str:
    return str(case.tracking_code) if sees_tracking_code(user, case) else ""
