from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from awas.core.progress import progress_factory
from awas.ops.services import demo_setup


class Command(BaseCommand):
    help = "Set up Awas with Kabupaten Malang and one demo account per role, print the logins, and serve."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-serve", action="store_true", help="set up and print, but do not start the server"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write("Preparing the database …")
        call_command("migrate", interactive=False, verbosity=0)
        accounts, notes = demo_setup(progress=progress_factory("demo"))
        for note in notes:
            self.stdout.write(f"  {note}")
        port = os.environ.get("AWAS_PORT", "8000")
        width = max(len(a.username) for a in accounts)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Awas is ready: http://127.0.0.1:{port}/"))
        self.stdout.write(f"Data folder: {settings.DATA_DIR}")
        self.stdout.write("")
        self.stdout.write("Demo accounts (all with the same password):")
        for a in accounts:
            scope = a.scope + (f" TPS {a.tps_number:03d}" if a.tps_number else "")
            self.stdout.write(f"  {a.username.ljust(width)}  {a.role:<16} {scope}")
        self.stdout.write(f"  password: {accounts[0].password}")
        self.stdout.write(
            "Every role but kader asks to enrol an authenticator app (TOTP) at first login; "
            "the page shows a QR code and the key to type in."
        )
        if not options["no_serve"]:
            call_command("serve")
