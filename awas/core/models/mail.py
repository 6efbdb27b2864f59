"""E-mail waiting to go out, or gone (``awas.core.services.mail``)."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutgoingMail(models.Model):
    """One e-mail, queued in the transaction of the step that causes it (a status change, a
    reminder), so that a step that happened is never left untold, and a step rolled back tells
    nobody. Sent right after the commit; a message the mail server did not take (the office's
    connection is down) waits here and ``awas mail send`` tries it again. It holds the
    recipient's address and the message, personal data (UU 27/2022): deleted some days after it
    was sent."""

    subject = models.TextField(_("subject"))
    body = models.TextField(_("message"))
    recipients = models.JSONField(_("recipients"))  # a list of addresses
    # What the message is about, for the app that queued it to find it again (cases: the pelapor
    # of a case, so that the case page warns when their address does not work). Opaque to core.
    topic = models.CharField(_("topic"), max_length=64, blank=True, default="")
    created_at = models.DateTimeField(_("queued"), default=timezone.now)
    # Not tried before this moment: a backoff after a failure, or the claim of the sender trying it
    # now (a sender that dies while sending leaves it to be tried again once the claim runs out).
    next_try_at = models.DateTimeField(_("next try"), default=timezone.now)
    # A message that speaks of a day ("batas besok, …") is not sent after it: late, it would mislead.
    send_until = models.DateTimeField(_("send until"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=255, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    # A message that never went out whose recipient the office told another way (a telephone call,
    # a letter): how, on which day, a short note, who recorded it and when. The app that queued it
    # says so where it warned (cases: the case page's "not delivered" list); deleted with the row.
    told_otherwise_how = models.CharField(_("told another way: how"), max_length=16, blank=True, default="")
    told_otherwise_on = models.DateField(_("told another way: on"), null=True, blank=True)
    told_otherwise_note = models.CharField(
        _("told another way: note"), max_length=200, blank=True, default=""
    )
    told_otherwise_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    told_otherwise_at = models.DateTimeField(_("told another way: recorded"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [
            models.Index(fields=["next_try_at"], condition=Q(sent_at__isnull=True), name="mail_waiting"),
            models.Index(
                fields=["topic"], condition=Q(sent_at__isnull=True) & ~Q(topic=""), name="mail_unsent_topic"
            ),
        ]

    def __str__(self) -> str:
        return f"{', '.join(self.recipients)}: {self.subject}"

    @property
    def refused(self) -> bool:
        """Whether the mail server refused the address (``services.mail``: never tried again)."""
        return self.last_error.startswith(smtplib.SMTPRecipientsRefused.__name__)
