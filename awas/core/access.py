"""Deny by default: every page declares who may open it, or nobody can.

A view is opened with one of the decorators below. The middleware refuses any view that carries
no declaration, and ``manage.py check`` reports such views (awas.E001), so a new page stays
closed until a role is granted it. Data on an opened page is still filtered by region scope
(``visible_to(user)``); this module only decides who reaches the page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from awas.core.roles import ALL_ROLES, Role

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class Access:
    roles: frozenset[str] | None  # None: anyone, signed in or not
    second_factor: bool = True  # roles that need TOTP must have proved it


PUBLIC = Access(roles=None, second_factor=False)
ADMIN_SITE = Access(roles=frozenset({Role.ADMIN}))


def _declare(view: F, access: Access) -> F:
    view.awas_access = access  # type: ignore[attr-defined]
    return view


def public(view: F) -> F:
    """Open to everyone, including the public without an account."""
    return _declare(view, PUBLIC)


def signed_in(view: F) -> F:
    """Any signed-in user, before the second factor (account pages: log out, password, TOTP)."""
    return _declare(view, Access(roles=frozenset(ALL_ROLES), second_factor=False))


def allow(*roles: str | Iterable[str]) -> Callable[[F], F]:
    """Open to the given roles (names or sets of names), after the second factor where required."""
    granted: set[str] = set()
    for role in roles:
        granted.update([role] if isinstance(role, str) else role)

    def decorator(view: F) -> F:
        return _declare(view, Access(roles=frozenset(granted)))

    return decorator


def access_of(view: Any, namespace: str = "") -> Access | None:
    if namespace == "admin" or namespace.startswith("admin:"):
        return ADMIN_SITE
    return getattr(view, "awas_access", None)


def _denied(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "core/403.html", {"reason": reason}, status=403)


class AccessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        access = access_of(view_func, match.namespace if match else "")
        if access is None:
            return _denied(request, "undeclared")
        if access.roles is None:
            return None
        user: Any = request.user
        if not user.is_authenticated:
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse(settings.LOGIN_URL)}?{query}")
        if user.role not in access.roles or not user.is_active:
            return _denied(request, "role")
        if access.second_factor and user.needs_otp and not user.is_verified():
            target = "core:otp_verify" if user_has_device(user) else "core:otp_setup"
            query = urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(f"{reverse(target)}?{query}")
        return None


def user_has_device(user: Any) -> bool:
    from django_otp import devices_for_user

    return any(True for _ in devices_for_user(user, confirmed=True))
