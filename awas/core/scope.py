"""Region scope: which records a user may see.

Every model that holds records tied to a place declares where its region is
(``scope_region_field``, a ForeignKey to ``regions.Region`` whose key is the dotted Kemendagri
code) and, when records can belong to one TPS, ``scope_tps_field``. Views read such models only
through ``Model.objects.visible_to(user)``; a user without a scope sees nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models

if TYPE_CHECKING:
    from awas.core.models import User

M = TypeVar("M", bound=models.Model)


def region_q(code_path: str, code: str) -> models.Q:
    """Records whose region code (at ``code_path``, e.g. ``region__code``) is ``code`` or lies below it.

    Django reads ``fk__code`` from the foreign-key column itself, so this needs no join.
    """
    return models.Q(**{code_path: code}) | models.Q(**{f"{code_path}__startswith": code + "."})


def code_within(code: str, scope: str) -> bool:
    """``region_q`` for one code in Python: ``code`` is ``scope`` or lies below it."""
    return code == scope or code.startswith(scope + ".")


class ScopedQuerySet(models.QuerySet[M]):
    def visible_to(self, user: Any) -> ScopedQuerySet[M]:
        return self.filter(scope_q(self.model, user))


def scope_q(model: type[models.Model], user: User | Any) -> models.Q:
    """The filter that restricts ``model`` to what ``user`` may see (deny by default)."""
    nothing = models.Q(pk__in=[])
    if user is None or not user.is_authenticated or not user.is_active:
        return nothing
    tps_field: str | None = getattr(model, "scope_tps_field", None)
    if user.scope_tps_id is not None:
        # A PTPS sees only what belongs to its own TPS.
        if tps_field is None:
            return nothing
        return models.Q(**{tps_field: user.scope_tps_id})
    if not user.scope_region_id:
        return nothing
    region_field: str = model.scope_region_field  # type: ignore[attr-defined]
    return region_q(f"{region_field}__code", user.scope_region_id)
