"""Who sees what on the office dashboard and in the monthly report.

The dashboard is for the office (pimpinan, admin and the staff roles). Everything on it is a count,
except three short lists that name cases (registration or tracking number, type, status, place):
those lists are shown only to the roles that may open the cases themselves. No list names a
person, and no free text of a case (title, chronology) is shown.

==============================  =====  ========  =======  ===============  =========
what                            admin  pimpinan  staf_pp  staf_pencegahan  tim_siber
==============================  =====  ========  =======  ===============  =========
dashboard, exports, monthly       ✓       ✓         ✓            ✓              ✓
report (counts, map, charts)
cases at risk, overdue            ✓       ✓         ✓            –              –
referrals (lists of cases)
overdue ASN sanction              ✓       ✓         ✓            –              –
follow-ups (list of cases)
==============================  =====  ========  =======  ===============  =========

The case roles follow ``awas.cases.permissions.VIEW`` (its office part); the ASN list follows the
ASN app's follow-up readers (``awas.asn.permissions.FOLLOW_UP_VIEW``), repeated here so that the
dashboard keeps working while that app changes. Data is always cut to the user's region scope.
"""

from __future__ import annotations

from typing import Any

from awas.cases.permissions import VIEW as CASES_VIEW
from awas.core.roles import OFFICE_ROLES, Role

DASHBOARD = OFFICE_ROLES
CASE_LISTS = DASHBOARD & CASES_VIEW
ASN_LISTS = frozenset({Role.ADMIN, Role.PIMPINAN, Role.STAF_PP})


def sees_case_lists(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.role in CASE_LISTS)


def sees_asn_lists(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.role in ASN_LISTS)
