from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IkpConfig(AppConfig):
    """Indeks Kerawanan Pemilu: versioned indicator frameworks, scoring, sensitivity, maps."""

    name = "awas.ikp"
    label = "ikp"
    verbose_name = _("Vulnerability index (IKP)")
