"""Who may do what in violation handling (the staff side).

Pages are opened by role (``awas.core.access.allow``); the data on them is always filtered by
region scope (``Case.objects.visible_to(user)``), so a Panwascam reaches only the cases of its
kecamatan and gets 404 for any other. An action is offered on a case only when the role may do
it *and* the case's status allows it (``awas.cases.services.workflow.available_actions``).

=========================  =====  ========  =======  =========  ===  ====
action                     admin  pimpinan  staf_pp  panwascam  pkd  ptps
=========================  =====  ========  =======  =========  ===  ====
list, detail, export,        ✓       ✓         ✓        ✓        ✓    ✓
deadlines, follow-ups,
reminders, related
pelapor identity, saksi,     ✓       ✓         ✓        ✓        –    –
evidence files, clarifi-
cations, documents
record laporan in person,    ✓       –         ✓        ✓        –    –
create temuan
requirements check,          ✓       –         ✓        ✓        –    –
registration
not registered               ✓       ✓         ✓        ✓        –    –
clarification (invitation,   ✓       –         ✓        ✓        –    –
berita acara)
more information (Pasal      ✓       –         ✓        –        –    –
134(6)), kajian
decision (pleno), its        ✓       ✓         ✓        –        –    –
correction before referral
referral, response           ✓       –         ✓        –        –    –
informasi awal: take up,     ✓       –         ✓        –        –    –
archive; link and merge,
undo a link or a merge
=========================  =====  ========  =======  =========  ===  ====

Pimpinan reads everything and decides; staf penanganan pelanggaran does every handling step,
including typing in the pleno's decision; Panwascam handles the cases of its kecamatan up to the
clarification. PKD and PTPS see the cases of their desa or TPS without the pelapor's identity,
the saksi, the evidence files or the clarifications (UU 27/2022: need to know), nor the tracking
code of a laporan or an informasi awal (``sees_tracking_code``). Staf pencegahan,
tim siber and kader have no case pages: the cyber team escalates through the services.
"""

from __future__ import annotations

from typing import Any

from awas.cases.models import CaseKind
from awas.core.roles import Role

VIEW = frozenset({Role.ADMIN, Role.PIMPINAN, Role.STAF_PP, Role.PANWASCAM, Role.PKD, Role.PTPS})
# The roles that handle cases and so may see the pelapor's identity (UU 27/2022).
HANDLING = frozenset({Role.ADMIN, Role.PIMPINAN, Role.STAF_PP, Role.PANWASCAM})
RECORD = frozenset({Role.ADMIN, Role.STAF_PP, Role.PANWASCAM})

# Case action → roles. The action names are those of ``workflow.available_actions``.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "requirements": RECORD,
    "supplement": RECORD,
    "correct": RECORD,
    "register": RECORD,
    "not_registered": RECORD | {Role.PIMPINAN},
    "clarification": RECORD,
    "more_info": frozenset({Role.ADMIN, Role.STAF_PP}),
    "study": frozenset({Role.ADMIN, Role.STAF_PP}),
    "decide": frozenset({Role.ADMIN, Role.PIMPINAN, Role.STAF_PP}),
    "correct_decision": frozenset({Role.ADMIN, Role.PIMPINAN, Role.STAF_PP}),
    "refer": frozenset({Role.ADMIN, Role.STAF_PP}),
    "respond": frozenset({Role.ADMIN, Role.STAF_PP}),
    "take_up": frozenset({Role.ADMIN, Role.STAF_PP}),
    "archive": frozenset({Role.ADMIN, Role.STAF_PP}),
    "link": frozenset({Role.ADMIN, Role.STAF_PP}),
    "unmerge": frozenset({Role.ADMIN, Role.STAF_PP}),
}


def handles_cases(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.role in HANDLING)


def sees_tracking_code(user: Any, case: Any) -> bool:
    """Whether staff pages show ``user`` the case's tracking code.

    The code is the pelapor's key to the public receipt and tracking page, so it is shown like the
    pelapor's identity: to the roles that handle cases. A temuan's code is shown to every role
    that sees the case: it is the office's own finding, nobody outside holds its code.
    """
    return tracking_code_shown(handles=handles_cases(user), kind=getattr(case, "kind", None))


def tracking_code_shown(*, handles: bool, kind: str | None) -> bool:
    """The rule of ``sees_tracking_code`` for a row read as values (the Excel export)."""
    return handles or kind == CaseKind.TEMUAN


def actions_for(user: Any, case: Any) -> set[str]:
    """The actions ``user`` may take on ``case`` now (role and status together)."""
    from awas.cases.services.workflow import available_actions

    return {action for action in available_actions(case) if user.role in ROLE_ACTIONS.get(action, ())}
