"""How a signed-in officer is read on every request."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from awas.core.models import User


class OfficerBackend(ModelBackend):
    """Django's password backend, reading the officer with the scope region in the same query:
    every page names the scope in its header."""

    def get_user(self, user_id: Any) -> User | None:
        user = User._default_manager.select_related("scope_region").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
