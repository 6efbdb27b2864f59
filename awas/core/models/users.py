from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from awas.core.roles import OTP_ROLES, Role


class User(AbstractUser):
    """An account of the office. One role, one scope region (a PTPS also one TPS)."""

    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    scope_region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("scope region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    scope_tps = models.ForeignKey(
        "regions.Tps",
        verbose_name=_("scope TPS"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    # Personal fields masked in the audit log (UU 27/2022).
    personal_fields = frozenset({"first_name", "last_name", "email", "phone", "password"})

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def scope_code(self) -> str | None:
        return self.scope_region_id

    @property
    def needs_otp(self) -> bool:
        return self.role in OTP_ROLES

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label) if self.role else ""
