"""Accounts: creation with a role and a scope, role changes, second-factor enrolment."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from awas.core.models import User
from awas.core.roles import SCOPE_LEVEL, Level, Role
from awas.core.services.audit import audit_record, snapshot


def check_scope(*, role: str, scope_region: Any, scope_tps: Any = None) -> None:
    """A role's scope must be a region of the right level (a PTPS: a TPS in its desa)."""
    if role not in Role.values:
        raise ValidationError(_("Unknown role '%(role)s'.") % {"role": role})
    if scope_region is None:
        raise ValidationError(_("Every account needs a scope region."))
    wanted = SCOPE_LEVEL[role]
    if wanted is not None and scope_region.level != wanted:
        raise ValidationError(
            _("A %(role)s account must be scoped to a %(level)s.")
            % {"role": Role(role).label, "level": Level(wanted).label}
        )
    if wanted is None and role != Role.KADER and scope_region.level > Level.KABUPATEN:
        raise ValidationError(
            _("A %(role)s account must be scoped to a kabupaten/kota or province.")
            % {"role": Role(role).label}
        )
    if role == Role.PTPS:
        if scope_tps is None or scope_tps.desa_id != scope_region.code:
            raise ValidationError(_("A PTPS account must be scoped to one TPS in its desa."))
    elif scope_tps is not None:
        raise ValidationError(_("Only a PTPS account is scoped to a TPS."))


def user_create(
    *,
    username: str,
    password: str,
    role: str,
    scope_region: Any,
    scope_tps: Any = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    actor: Any = None,
) -> User:
    check_scope(role=role, scope_region=scope_region, scope_tps=scope_tps)
    with transaction.atomic():
        user = User(
            username=username,
            role=role,
            scope_region=scope_region,
            scope_tps=scope_tps,
            first_name=first_name,
            last_name=last_name,
            email=email,
            is_staff=role == Role.ADMIN,
            is_superuser=role == Role.ADMIN,
        )
        validate_password(password, user)
        user.set_password(password)
        user.full_clean()
        user.save()
        audit_record(action="user.created", obj=user, actor=actor, after=snapshot(user))
    return user


def user_change_scope(*, user: User, role: str, scope_region: Any, scope_tps: Any = None, actor: Any) -> User:
    check_scope(role=role, scope_region=scope_region, scope_tps=scope_tps)
    with transaction.atomic():
        before = snapshot(user, ["role", "scope_region", "scope_tps"])
        user.role, user.scope_region, user.scope_tps = role, scope_region, scope_tps
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.save(update_fields=["role", "scope_region", "scope_tps", "is_staff", "is_superuser"])
        audit_record(
            action="user.scope_changed",
            obj=user,
            actor=actor,
            before=before,
            after=snapshot(user, ["role", "scope_region", "scope_tps"]),
        )
    return user


def user_set_password(*, user: User, password: str, actor: Any) -> None:
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(action="user.password_changed", obj=user, actor=actor)


def otp_device_start(*, user: User) -> TOTPDevice:
    """An unconfirmed TOTP device to show as a QR code; replaces any earlier unconfirmed one."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)


def otp_device_confirm(*, device: TOTPDevice, token: str) -> bool:
    """Confirm enrolment when the first code from the app is right."""
    if not device.verify_token(token.strip().replace(" ", "")):
        return False
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        audit_record(action="user.otp_enrolled", obj=device.user, actor=device.user)
    return True


def otp_failure_record(*, user: User, ip_address: str | None) -> None:
    """A wrong authenticator code after a right password: someone may hold the password and be
    guessing the second factor. Logged like a failed login."""
    with transaction.atomic():
        audit_record(action="auth.otp_failed", obj=user, actor=user, ip_address=ip_address)
