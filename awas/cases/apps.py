from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    """Penanganan pelanggaran: laporan, temuan and informasi awal from receipt to follow-up."""

    name = "awas.cases"
    label = "cases"
    verbose_name = _("Violation handling")

    def ready(self) -> None:
        # core tells, cases listens (core imports no domain app, ARCHITECTURE.md): a change to the
        # holiday calendar or the deadline rules recomputes the due dates stored on open cases.
        from awas.cases.services.deadlines import open_case_deadlines_recompute
        from awas.core.services.deadlines import deadline_calendar_changed

        deadline_calendar_changed.connect(
            open_case_deadlines_recompute, dispatch_uid="awas-cases-recompute-open-case-deadlines"
        )
