from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Penanganan pelanggaran: laporan, temuan and informasi awal from receipt to follow-up."""

    name = "awas.cases"
    label = "cases"
    verbose_name = _("Violation handling")
