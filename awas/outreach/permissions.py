"""Who may do what in prevention and participation.

Pages are opened by role (``awas.core.access.allow``); the data on them is always filtered by
region scope (``Model.objects.visible_to(user)``), so a Panwascam sees and records only the
activities of its kecamatan, a PKD those of its desa.

==============================  =====  ========  ===============  ================  =========  ===  =====
action                          admin  pimpinan  staf_pencegahan  staf_pp, siber    panwascam  pkd  kader
==============================  =====  ========  ===============  ================  =========  ===  =====
activities: list, calendar,       ✓       ✓            ✓                ✓              ✓        ✓    –
coverage, exports
record and edit activities,       ✓       –            ✓                –              ✓        ✓    –
files, mark done or cancelled
plan in many kecamatan at once,   ✓       –            ✓                –              –        –    –
imbauan letters, categories,
cadre and pemantau registry
personal data of cadres,          ✓       ✓            ✓                –              –        –    –
pemantau contacts, attendees
cadre registry as counts          ✓       ✓            ✓                ✓              ✓        ✓    –
field information form            –       –            –                –              –        –    ✓
==============================  =====  ========  ===============  ================  =========  ===  =====

PTPS are left out: their scope is one TPS, and prevention activities belong to a desa or a
kecamatan. Personal data (name, NIK, phone, e-mail; UU 27/2022) is shown and exported only to the
roles in ``PERSONAL``; everyone else who may open the registry sees counts.
"""

from __future__ import annotations

from typing import Any

from awas.core.roles import Role

VIEW = frozenset(
    {Role.ADMIN, Role.PIMPINAN, Role.STAF_PENCEGAHAN, Role.STAF_PP, Role.TIM_SIBER, Role.PANWASCAM, Role.PKD}
)
RECORD = frozenset({Role.ADMIN, Role.STAF_PENCEGAHAN, Role.PANWASCAM, Role.PKD})
MANAGE = frozenset({Role.ADMIN, Role.STAF_PENCEGAHAN})
PERSONAL = frozenset({Role.ADMIN, Role.PIMPINAN, Role.STAF_PENCEGAHAN})
FIELD_REPORT = frozenset({Role.KADER})


def sees_personal_data(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.role in PERSONAL)


def may_record(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.role in RECORD)


def may_manage(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.role in MANAGE)
