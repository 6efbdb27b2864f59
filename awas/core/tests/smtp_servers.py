"""Mail servers for tests of what happens when e-mail does not go out: one nothing answers for
(the office's connection is down), one that answers and refuses every mailbox (a pelapor's typo,
a closed mailbox: ``smtplib.SMTPRecipientsRefused``). Real SMTP over a local socket, through
Django's own SMTP backend: no mock stands in for the refusal."""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
LOCMEM_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


class RefusingSmtp(socketserver.StreamRequestHandler):
    """A mail server that answers and refuses every recipient (550), as one does a closed mailbox."""

    def handle(self) -> None:
        self.wfile.write(b"220 mail.example ESMTP\r\n")
        for raw in self.rfile:
            command = raw.decode(errors="replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.wfile.write(b"250 mail.example\r\n")
            elif command.startswith("MAIL FROM"):
                self.wfile.write(b"250 OK\r\n")
            elif command.startswith("RCPT TO"):
                self.wfile.write(b"550 5.1.1 No such mailbox\r\n")
            elif command.startswith("QUIT"):
                self.wfile.write(b"221 Bye\r\n")
                return
            else:  # RSET and the rest
                self.wfile.write(b"250 OK\r\n")


@contextmanager
def refusing_smtp(settings: Any) -> Iterator[Any]:
    """``settings`` (pytest-django's) sending through a ``RefusingSmtp`` server, for the block."""
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), RefusingSmtp)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = SMTP_BACKEND
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        server.server_address[1],
        5,
    )
    try:
        yield settings
    finally:
        server.shutdown()
        server.server_close()


def smtp_down(settings: Any) -> Any:
    """``settings`` sending to a port nothing listens on: every send is refused at once."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    settings.EMAIL_BACKEND = SMTP_BACKEND
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    return settings


def smtp_back(settings: Any) -> None:
    """The mail server works again (Django's in-memory outbox, ``mailoutbox``)."""
    settings.EMAIL_BACKEND = LOCMEM_BACKEND
