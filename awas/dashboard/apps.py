from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The office overview, the public transparency page, their exports and the monthly report."""

    name = "awas.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard")
