from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    """Form A (LHP): entry, upload and parsing of PDF/DOCX, and the kejadian each report yields."""

    name = "awas.supervision"
    label = "supervision"
    verbose_name = _("Supervision reports (Form A)")
