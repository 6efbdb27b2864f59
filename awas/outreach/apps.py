from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    """Pencegahan and pengawasan partisipatif: activities, coverage, cadres and monitoring organisations."""

    name = "awas.outreach"
    label = "outreach"
    verbose_name = _("Prevention and participation")
