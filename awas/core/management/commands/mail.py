from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from awas.core.services.mail import mail_send_waiting


class Command(BaseCommand):
    help = (
        "Outgoing e-mail. 'awas mail send' sends the messages still waiting (the mail server did not take "
        "them when they were written: the office's connection was down) and deletes those sent over 30 days "
        "ago. Run it every few minutes, e.g. from cron: */5 * * * * awas mail send"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("send", help="send the e-mails waiting, and delete the old ones sent")

    def handle(self, *args: Any, **options: Any) -> None:
        run = mail_send_waiting()
        summary = (
            f"{run.sent} e-mail(s) sent, {run.failed} failed, {run.refused} refused by the server (address "
            f"not accepted; not tried again); {run.waiting} waiting; {run.given_up} never sent (tried for 3 "
            f"days, past their day, or refused); {run.deleted} old ones deleted."
        )
        if run.failed:
            # Non-zero: cron mails its owner, who learns the mail server is unreachable.
            raise CommandError(f"The mail server did not take every message. {summary}")
        self.stdout.write(self.style.SUCCESS(summary))
