"""Roles of an election supervisory office, and what each may be scoped to.

A user has exactly one role and one scope region (a node of the Kemendagri wilayah tree; a PTPS
is scoped to one TPS). Records are visible to a user when they lie at or below that scope.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    PIMPINAN = "pimpinan", _("Pimpinan (commissioner)")
    STAF_PP = "staf_pp", _("Staf Penanganan Pelanggaran")
    STAF_PENCEGAHAN = "staf_pencegahan", _("Staf Pencegahan dan Parmas")
    TIM_SIBER = "tim_siber", _("Tim Siber")
    PANWASCAM = "panwascam", _("Panwascam")
    PKD = "pkd", _("PKD")
    PTPS = "ptps", _("PTPS")
    KADER = "kader", _("Kader / Pemantau")


# Levels of the wilayah tree, by the number of dotted parts of a Kemendagri code.
class Level(models.IntegerChoices):
    PROVINSI = 1, _("Provinsi")
    KABUPATEN = 2, _("Kabupaten/Kota")
    KECAMATAN = 3, _("Kecamatan")
    DESA = 4, _("Desa/Kelurahan")


OFFICE_ROLES = frozenset({Role.ADMIN, Role.PIMPINAN, Role.STAF_PP, Role.STAF_PENCEGAHAN, Role.TIM_SIBER})
FIELD_ROLES = frozenset({Role.PANWASCAM, Role.PKD, Role.PTPS})
ALL_ROLES = frozenset(Role)

# Everyone who can see case data or personal data must prove a second factor (TOTP).
# Cadres and monitors only send field information and see their own submissions.
OTP_ROLES = OFFICE_ROLES | FIELD_ROLES

# The level each role's scope region must have (None: any level at or above kabupaten/kota).
SCOPE_LEVEL: dict[str, int | None] = {
    Role.ADMIN: None,
    Role.PIMPINAN: None,
    Role.STAF_PP: None,
    Role.STAF_PENCEGAHAN: None,
    Role.TIM_SIBER: None,
    Role.PANWASCAM: Level.KECAMATAN,
    Role.PKD: Level.DESA,
    Role.PTPS: Level.DESA,  # plus the TPS itself
    Role.KADER: None,
}
