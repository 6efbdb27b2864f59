"""Who may do what with Form A (the pages are opened by role; rows are filtered by region scope).

=============================  =====  ========  =======  ===========  =====  =========  ===  ====
action                         admin  pimpinan  staf_pp  pencegahan   siber  panwascam  pkd  ptps
=============================  =====  ========  =======  ===========  =====  =========  ===  ====
list, read, print (PDF)          ✓       ✓         ✓         ✓           ✓        ✓       ✓    ✓
type in a Form A                 –       –         –         –           –        ✓       ✓    ✓
upload Form A files              ✓       –         ✓         ✓           –        ✓       ✓    ✓
review suggested indicators      ✓       –         ✓         ✓           –        ✓       ✓    –
pelaku and saksi (personal)      ✓       ✓         ✓         –           –        ✓       –    –
temuan draft from section IV     ✓       –         ✓         –           –        ✓       –    –
suggestion statistics            ✓       ✓         –         ✓           –        –       –    –
=============================  =====  ========  =======  ===========  =====  =========  ===  ====

A PTPS writes for its own TPS, a PKD for its desa, a Panwascam for its kecamatan or one of its
desa (``location_choices``). The person who wrote or uploaded a report also sees the personal data
they put in it. A PTPS's reports are reviewed by the PKD of its desa or by the Panwascam.
"""

from __future__ import annotations

from typing import Any

from awas.core.roles import FIELD_ROLES, OFFICE_ROLES, Role

VIEW = OFFICE_ROLES | FIELD_ROLES
ENTRY = FIELD_ROLES
UPLOAD = FIELD_ROLES | {Role.ADMIN, Role.STAF_PENCEGAHAN, Role.STAF_PP}
REVIEW = frozenset({Role.ADMIN, Role.STAF_PP, Role.STAF_PENCEGAHAN, Role.PANWASCAM, Role.PKD})
# The roles that handle violations (as in awas.cases.permissions.HANDLING): they see pelaku and saksi.
HANDLING = frozenset({Role.ADMIN, Role.PIMPINAN, Role.STAF_PP, Role.PANWASCAM})
TEMUAN = frozenset({Role.ADMIN, Role.STAF_PP, Role.PANWASCAM})
STATS = frozenset({Role.ADMIN, Role.PIMPINAN, Role.STAF_PENCEGAHAN})


def _role(user: Any) -> str:
    return str(getattr(user, "role", "") or "") if getattr(user, "is_authenticated", False) else ""


def can_see_personal(user: Any, form: Any) -> bool:
    return _role(user) in HANDLING or (form.created_by_id is not None and form.created_by_id == user.pk)


def can_edit(user: Any, form: Any) -> bool:
    """Drafts are completed by whoever may upload; a filed report until its indicators are reviewed."""
    from awas.supervision.models import FormAStatus

    role = _role(user)
    if form.status == FormAStatus.DRAFT:
        return role in UPLOAD | ENTRY
    if form.status == FormAStatus.FILED and form.kejadian_reviewed_at is None:
        return role in REVIEW or form.created_by_id == user.pk
    return False


def can_review(user: Any, form: Any) -> bool:
    from awas.supervision.models import FormAStatus

    return _role(user) in REVIEW and form.status == FormAStatus.FILED and form.kejadian_reviewed_at is None


def can_make_temuan(user: Any, form: Any) -> bool:
    from awas.supervision.models import FormAStatus

    return (
        _role(user) in TEMUAN
        and form.status == FormAStatus.FILED
        and form.has_violation_info
        and form.temuan_id is None
    )
