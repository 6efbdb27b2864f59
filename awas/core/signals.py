"""Sign-ins and sign-outs go to the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from awas.core.request_context import client_ip
from awas.core.services.audit import audit_record, mask_value


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    with transaction.atomic():
        audit_record(action="auth.login", obj=user, actor=user, ip_address=client_ip(request))


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        with transaction.atomic():
            audit_record(action="auth.logout", obj=user, actor=user, ip_address=client_ip(request))


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    from awas.core.models import User

    typed = str(credentials.get("username", ""))
    # A name that is no account may be a password typed into the wrong field: the log, which is
    # never edited, keeps only its outline.
    known = User.objects.filter(username=typed).exists()
    with transaction.atomic():
        audit_record(
            action="auth.login_failed",
            object_type="core.User",
            object_repr=(typed if known else str(mask_value(typed)))[:150],
            ip_address=client_ip(request) if request is not None else None,
        )
