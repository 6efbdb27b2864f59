from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CyberConfig(AppConfig):
    """Pengawasan siber: captured posts, the offline classifier, review queue, take-down requests."""

    name = "awas.cyber"
    label = "cyber"
    verbose_name = _("Cyber supervision")
