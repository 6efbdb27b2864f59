"""Who may see and do what in cyber supervision (pengawasan siber).

Captured posts carry personal data: author names and handles, and matches to persons in the ASN
register (UU 27/2022). They are shown only to the roles that act on them: the cyber team, the
handling staff and pimpinan who receive its temuan, and the administrator. Only the cyber team (and
the administrator) captures, imports, corrects, reviews, escalates and asks for take-downs. The
classifier's versions are read-only pages; training and activation stay operator commands
(``awas cyber train|activate|rollback``).

==================================  =====  ========  =======  =========  ==========  =====  ======
page / action                       admin  pimpinan  staf_pp  tim_siber  pencegahan  field  kader
==================================  =====  ========  =======  =========  ==========  =====  ======
review queue, post pages,             ✓       ✓         ✓         ✓          –          –      –
screenshots, take-down list and
letters (PDF/DOCX)
capture, import, correct a            ✓       –         –         ✓          –          –      –
capture, confirm/reject labels
and author matches, escalate to
a temuan, take-down request and
answer
sources (feeds, fetch now),           ✓       –         –         ✓          –          –      –
campaign accounts
classifier models: versions,          ✓       ✓         –         ✓          –          –      –
training data, held-out metrics,
activation (read-only)
==================================  =====  ========  =======  =========  ==========  =====  ======

Records are further limited to the user's region scope (``Post.objects.visible_to(user)``; take-down
requests, labels and matches through their post); a record outside it answers 404.
"""

from __future__ import annotations

from typing import Any

from awas.core.roles import Role

VIEW = frozenset({Role.ADMIN, Role.PIMPINAN, Role.STAF_PP, Role.TIM_SIBER})
ACT = frozenset({Role.ADMIN, Role.TIM_SIBER})
MODELS = frozenset({Role.ADMIN, Role.PIMPINAN, Role.TIM_SIBER})


def _has(user: Any, roles: frozenset[str]) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.role in roles)


def sees_posts(user: Any) -> bool:
    return _has(user, VIEW)


def acts_on_posts(user: Any) -> bool:
    """May capture, import, review, escalate, ask for take-downs, manage sources and accounts."""
    return _has(user, ACT)


def sees_models(user: Any) -> bool:
    return _has(user, MODELS)
