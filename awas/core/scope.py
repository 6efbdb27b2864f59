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


def in_scope(user: User | Any, obj: models.Model) -> bool:
    """``scope_q`` for one record already read: whether ``user`` may see ``obj``, without asking
    the database again (a page that read a case through ``visible_to`` and checks the cases it
    links to). The scope fields must be the record's own foreign keys."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    tps_field: str | None = getattr(obj, "scope_tps_field", None)
    if user.scope_tps_id is not None:
        return tps_field is not None and _key_of(obj, tps_field) == user.scope_tps_id
    if not user.scope_region_id:
        return False
    code = _key_of(obj, obj.scope_region_field)  # type: ignore[attr-defined]
    return code is not None and code_within(str(code), user.scope_region_id)


def _key_of(obj: models.Model, field_name: str) -> Any:
    """The value of the foreign key ``field_name`` of ``obj`` (the region's code), read from its
    own column."""
    if field_name == "pk":  # a TPS is its own scope
        return obj.pk
    field = obj._meta.get_field(field_name)
    if not isinstance(field, models.ForeignKey):
        raise TypeError(f"{type(obj).__name__}.{field_name} is not a foreign key")
    return getattr(obj, field.attname)
