from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "awas.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from awas.core import checks, signals  # noqa: F401  (registers system checks and signal handlers)
