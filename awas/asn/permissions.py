"""Who may see and do what with the ASN register.

Names, NIPs, dates of birth and social-media accounts are personal data (UU 27/2022). They are
shown only to the roles that act on them: those who handle cases (pimpinan, staf penanganan
pelanggaran), the cyber team that matches post authors, and the administrator. Staf pencegahan
targets imbauan letters and sosialisasi, for which counts per kecamatan are enough: it sees the
map and the numbers, never a name. Field supervisors (Panwascam, PKD, PTPS) and cadres see
nothing of the register; the SKB 2022 catalogue is public law and open to all staff.

==================================  =====  ========  =======  =========  ==========  =====  ======
page / action                       admin  pimpinan  staf_pp  tim_siber  pencegahan  field  kader
==================================  =====  ========  =======  =========  ==========  =====  ======
map and counts per kecamatan          ✓       ✓         ✓         ✓          ✓          –      –
register: names, NIP, accounts,       ✓       ✓         ✓         ✓          –          –      –
risk breakdown of a person
add or edit a person, accounts,       ✓       –         ✓         ✓          –          –      –
risk facts
import a roster                       ✓       –         ✓         –          –          –      –
SKB 2022 catalogue                    ✓       ✓         ✓         ✓          ✓          ✓      –
link a case, sanction follow-up       ✓       ✓*        ✓         –          –          –      –
(* pimpinan reads only), overdue
imbauan letters: list, PDF/DOCX       ✓       ✓         ✓         –          ✓          –      –
imbauan letters: write                ✓       –         –         –          ✓          –      –
risk weights and settings             ✓       –         –         –          –          –      –
==================================  =====  ========  =======  =========  ==========  =====  ======

Records are further limited to the user's region scope (``Person.objects.visible_to(user)``).
"""

from __future__ import annotations

from typing import Any

from awas.core.roles import FIELD_ROLES, OFFICE_ROLES, Role

REGISTER_VIEW = frozenset({Role.ADMIN, Role.PIMPINAN, Role.STAF_PP, Role.TIM_SIBER})
REGISTER_EDIT = frozenset({Role.ADMIN, Role.STAF_PP, Role.TIM_SIBER})
ROSTER_IMPORT = frozenset({Role.ADMIN, Role.STAF_PP})
AGGREGATE = REGISTER_VIEW | {Role.STAF_PENCEGAHAN}
CATALOGUE = OFFICE_ROLES | FIELD_ROLES
FOLLOW_UP_VIEW = frozenset({Role.ADMIN, Role.PIMPINAN, Role.STAF_PP})
FOLLOW_UP_EDIT = frozenset({Role.ADMIN, Role.STAF_PP})
LETTERS_VIEW = frozenset({Role.ADMIN, Role.PIMPINAN, Role.STAF_PP, Role.STAF_PENCEGAHAN})
LETTERS_WRITE = frozenset({Role.ADMIN, Role.STAF_PENCEGAHAN})
SETTINGS = frozenset({Role.ADMIN})


def _has(user: Any, roles: frozenset[str]) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role in roles)


def sees_register(user: Any) -> bool:
    """May see who is in the register (names, NIP, accounts)."""
    return _has(user, REGISTER_VIEW)


def edits_register(user: Any) -> bool:
    return _has(user, REGISTER_EDIT)


def imports_rosters(user: Any) -> bool:
    return _has(user, ROSTER_IMPORT)


def sees_aggregates(user: Any) -> bool:
    return _has(user, AGGREGATE)


def sees_follow_ups(user: Any) -> bool:
    return _has(user, FOLLOW_UP_VIEW)


def edits_follow_ups(user: Any) -> bool:
    return _has(user, FOLLOW_UP_EDIT)


def sees_letters(user: Any) -> bool:
    return _has(user, LETTERS_VIEW)


def writes_letters(user: Any) -> bool:
    return _has(user, LETTERS_WRITE)


def edits_settings(user: Any) -> bool:
    return _has(user, SETTINGS)
