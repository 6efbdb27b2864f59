from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from awas.cases.services.deadlines import open_case_deadlines_recompute
from awas.cases.services.reminders import reminders_create
from awas.core.services.mail import mail_send_waiting


class Command(BaseCommand):
    help = (
        "Violation handling. 'awas cases remind' creates in-app reminders, and e-mails them, for the "
        "deadlines due by the next day (the next working day for clocks that count working days: decision, "
        "kajian awal, completion by the pelapor, answers to referrals), and for those already passed while "
        "the step is still not done, to the staff responsible; it also e-mails each pelapor whose incomplete "
        "laporan must be completed by then what is still missing. Run it "
        "daily, e.g. from cron at 07.00. Safe to run again: nothing is sent twice. "
        "Example: awas cases remind --date 2026-11-25. "
        "'awas cases deadlines' counts the due dates of every open case again with the current rules and "
        "holiday calendar (once after an upgrade that adds a clock; edits in the admin do it by themselves); "
        "audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        remind = sub.add_parser(
            "remind", help="reminders for deadlines due by the next day or overdue (idempotent)"
        )
        remind.add_argument(
            "--date", help="act as if today were this date (YYYY-MM-DD, office time); default today"
        )

        sub.add_parser("deadlines", help="count the due dates of every open case again (audited)")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"handle_{options['action']}")(**options)

    def handle_remind(self, date: str | None = None, **_: Any) -> None:
        try:
            today = dt.date.fromisoformat(date) if date else None
        except ValueError as exc:
            raise CommandError(f"--date must be YYYY-MM-DD, not {date!r}") from exc
        result = reminders_create(today=today)
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.due} deadline(s) due soon or overdue; {result.created} new reminder(s), "
                f"{result.emailed} e-mailed; {result.pelapor_emailed} pelapor reminded of their time to "
                "complete the laporan."
            )
        )
        # The e-mails still waiting too, and the old ones deleted: an office that has not yet added
        # 'awas mail send' to cron (an upgrade) still retries them daily and keeps none for good.
        mail = mail_send_waiting()
        self.stdout.write(
            f"E-mail waiting from before: {mail.sent} sent, {mail.failed} failed, {mail.waiting} still "
            f"waiting; {mail.deleted} old ones deleted."
        )

    def handle_deadlines(self, **_: Any) -> None:
        moved = open_case_deadlines_recompute(reason="awas cases deadlines")
        self.stdout.write(self.style.SUCCESS(f"{moved} open case(s) got new due dates."))
