"""System checks: no page may exist without an access declaration (deny by default)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.checks import Error, register
from django.urls import URLPattern, URLResolver, get_resolver

from awas.core.access import access_of


def iter_patterns(
    patterns: list[Any] | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    """Every URL pattern as (route, namespace, pattern), following includes."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from iter_patterns(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), namespace, entry


@register()
def check_views_declare_access(app_configs: Any, **kwargs: Any) -> list[Error]:
    errors = []
    for route, namespace, pattern in iter_patterns():
        if access_of(pattern.callback, namespace) is None:
            errors.append(
                Error(
                    f"The page '{route}' ({pattern.lookup_str}) declares no access.",
                    hint="Decorate its view with awas.core.access.public, signed_in or allow(...).",
                    id="awas.E001",
                )
            )
    return errors
