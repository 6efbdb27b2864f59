"""Cyber supervision: classifier model versions (what each was trained on, how it scored, which is
active; files under ``settings.DATA_DIR / "models"``), sources, captured posts with their immutable
captures, labels and reviews, author matches, registered campaign accounts and take-down requests."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awas.asn.models import Platform
from awas.core.scope import ScopedQuerySet


class ClassifierModel(models.Model):
    name = models.CharField(_("name"), max_length=100, help_text=_("The task, e.g. 'cyber'."))
    version = models.PositiveIntegerField(_("version"))
    labels = models.JSONField(_("labels"), default=list)
    training_source = models.JSONField(_("training source"), default=dict)
    metrics = models.JSONField(_("held-out metrics"), default=dict)
    path = models.CharField(_("folder"), max_length=500, help_text=_("Relative to DATA_DIR/models."))
    sha256 = models.CharField(_("SHA-256 of the model files"), max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=False)
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The model that was active when this one was activated (for rollback)."),
    )

    class Meta:
        verbose_name = _("classifier model")
        verbose_name_plural = _("classifier models")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="cyber_model_name_version_unique"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(is_active=True), name="cyber_model_one_active_per_name"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def heldout_score(self) -> float | None:
        value = self.metrics.get("mean_macro_f1") if isinstance(self.metrics, dict) else None
        return float(value) if value is not None else None


# --- sources and captured posts ------------------------------------------------------------------


class SourceKind(models.TextChoices):
    MANUAL = "manual", _("Pasted by hand")
    IMPORT = "impor", _("Imported file (CSV or JSON)")
    RSS = "rss", _("RSS/Atom feed")


class Source(models.Model):
    """Where captured posts come from. Feeds are fetched by ``awas cyber fetch`` or from the page;
    manual captures and imported files each get a row too, so every capture names its source."""

    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", help_text=_("The office it serves.")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=SourceKind.choices)
    name = models.CharField(_("name"), max_length=200)
    url = models.URLField(_("feed URL"), max_length=1000, blank=True)
    platform = models.CharField(
        _("platform"), max_length=12, choices=Platform.choices, default=Platform.OTHER
    )
    active = models.BooleanField(_("active"), default=True)
    last_fetched_at = models.DateTimeField(_("last fetched"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    scope_region_field = "region"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            # One "pasted by hand" and one "imported files" source per office.
            models.UniqueConstraint(
                fields=["region", "kind"],
                condition=Q(kind__in=["manual", "impor"]),
                name="cyber_source_one_manual_and_import_per_office",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ReviewStatus(models.TextChoices):
    NEW = "baru", _("Waiting for review")
    REVIEWED = "ditinjau", _("Confirmed, not escalated")
    DISMISSED = "diabaikan", _("Nothing to act on")
    ESCALATED = "diteruskan", _("Escalated to a temuan")


class Post(models.Model):
    """A post on a platform, as the cyber team follows it. What was seen lives in its captures
    (never edited; a correction is a new version); the review state lives here."""

    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The office that captured it (its region scope)."),
    )
    platform = models.CharField(_("platform"), max_length=12, choices=Platform.choices)
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    # The URL without scheme, "www.", query tracking and trailing slash: finds the same post again.
    url_key = models.CharField(max_length=1000, blank=True, db_index=True)
    author_handle = models.CharField(_("author handle"), max_length=100, blank=True, db_index=True)
    author_name = models.CharField(_("author name"), max_length=200, blank=True)
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)
    first_captured_at = models.DateTimeField(_("first captured"), default=timezone.now)
    review_status = models.CharField(
        _("review"), max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.NEW, db_index=True
    )
    risk = models.FloatField(_("risk"), default=0.0, help_text=_("0–1; orders the review queue."))
    top_label = models.CharField(_("strongest label"), max_length=40, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("temuan"),
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    scope_region_field = "region"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-risk", "-first_captured_at"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [models.Index(fields=["review_status", "-risk"], name="cyber_post_queue")]
        constraints = [
            # Two imports of one export at once must not make two posts of one post.
            models.UniqueConstraint(fields=["region", "url_key"], name="cyber_post_once_per_office")
        ]

    def __str__(self) -> str:
        return f"post:{self.pk}"

    @property
    def ref(self) -> str:
        """How other apps (the ASN register, a temuan's source) refer to this post."""
        return f"post:{self.pk}"


class Capture(models.Model):
    """What the team saw, when, and from where; immutable. ``document`` is the canonical JSON of the
    capture (text, metadata, the screenshot's SHA-256) and ``sha256`` its digest: the hash printed on
    a temuan and on a take-down letter."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="captures")
    version = models.PositiveIntegerField(_("version"))
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="captures")
    text = models.TextField(_("text"))
    author_handle = models.CharField(_("author handle"), max_length=100, blank=True)
    author_name = models.CharField(_("author name"), max_length=200, blank=True)
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True)
    engagement = models.JSONField(_("engagement"), default=dict, blank=True)
    metadata = models.JSONField(_("other fields"), default=dict, blank=True)
    screenshot = models.ForeignKey(
        "core.EvidenceFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    correction_reason = models.TextField(_("why this version"), blank=True)
    captured_at = models.DateTimeField(_("captured at"), default=timezone.now)
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    document = models.TextField(_("canonical capture (JSON)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)

    class Meta:
        ordering = ["post", "-version"]
        verbose_name = _("capture")
        verbose_name_plural = _("captures")
        constraints = [models.UniqueConstraint(fields=["post", "version"], name="cyber_capture_version_once")]

    def __str__(self) -> str:
        return f"post:{self.post_id} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A capture is evidence of what was seen: never edited (a correction is a new version).
        if not self._state.adding:
            raise CaptureImmutable(f"{self} is a stored capture; add a new version instead")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise CaptureImmutable(f"{self} is a stored capture and cannot be deleted")


class CaptureImmutable(Exception):
    pass


class LabelDecision(models.TextChoices):
    PENDING = "menunggu", _("Not reviewed")
    CONFIRMED = "benar", _("Confirmed")
    REJECTED = "salah", _("Rejected")


class PostLabel(models.Model):
    """One label of one post: the rules' score and reasons, the active model's calibrated score,
    and the reviewer's decision (which becomes training data)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="labels")
    capture = models.ForeignKey(Capture, on_delete=models.PROTECT, related_name="+")
    label = models.CharField(_("label"), max_length=40)
    score = models.FloatField(_("score"))
    rule_score = models.FloatField(_("rule score"))
    model_score = models.FloatField(_("model score"), null=True, blank=True)
    model_version = models.CharField(_("model"), max_length=60, blank=True)
    flagged = models.BooleanField(_("flagged"), default=False)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=LabelDecision.choices, default=LabelDecision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-score"]
        verbose_name = _("post label")
        verbose_name_plural = _("post labels")
        constraints = [models.UniqueConstraint(fields=["post", "label"], name="cyber_label_once")]

    def __str__(self) -> str:
        return f"post:{self.post_id} {self.label}"


class CampaignAccount(models.Model):
    """A social-media account a candidate pair or campaign team registered with KPU (DOMAIN.md, cyber
    supervision: teams monitor the campaign accounts registered with KPU plus unofficial ones)."""

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    platform = models.CharField(_("platform"), max_length=12, choices=Platform.choices)
    handle = models.CharField(_("handle"), max_length=100)
    holder = models.CharField(_("registered by"), max_length=200, help_text=_("Paslon or campaign team."))
    url = models.URLField(_("URL"), max_length=500, blank=True)
    registered_on = models.DateField(_("registered with KPU on"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    scope_region_field = "region"
    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["holder", "platform", "handle"]
        verbose_name = _("campaign account")
        verbose_name_plural = _("campaign accounts")
        constraints = [
            models.UniqueConstraint(fields=["platform", "handle"], name="cyber_campaign_account_once")
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.handle}"


class MatchKind(models.TextChoices):
    HANDLE = "akun", _("Same account")
    NAME = "nama", _("Similar name")
    CAMPAIGN = "kampanye", _("Registered campaign account")


class MatchStatus(models.TextChoices):
    SUGGESTED = "usulan", _("Suggested")
    CONFIRMED = "benar", _("Confirmed")
    REJECTED = "salah", _("Rejected")


class AuthorMatch(models.Model):
    """Why a post's author may be a person in the ASN register or a registered campaign account."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="matches")
    kind = models.CharField(_("kind"), max_length=10, choices=MatchKind.choices)
    person = models.ForeignKey(
        "asn.Person", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    campaign_account = models.ForeignKey(
        CampaignAccount, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    score = models.FloatField(_("similarity"), help_text=_("0–100."))
    reason = models.CharField(_("why"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=MatchStatus.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-score"]
        verbose_name = _("author match")
        verbose_name_plural = _("author matches")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "person"], condition=Q(person__isnull=False), name="cyber_match_person_once"
            ),
            models.UniqueConstraint(
                fields=["post", "campaign_account"],
                condition=Q(campaign_account__isnull=False),
                name="cyber_match_campaign_once",
            ),
        ]

    def __str__(self) -> str:
        return f"post:{self.post_id} ~ {self.person_id or self.campaign_account_id}"


class TakedownAddressee(models.TextChoices):
    # DOMAIN.md, cyber supervision: Bawaslu cannot remove content; it asks Komdigi and BSSN.
    KOMDIGI = "komdigi", _("Kementerian Komunikasi dan Digital (Komdigi)")
    BSSN = "bssn", _("Badan Siber dan Sandi Negara (BSSN)")


class TakedownStatus(models.TextChoices):
    SENT = "dikirim", _("Sent, waiting for an answer")
    REMOVED = "diturunkan", _("Content removed")
    REFUSED = "ditolak", _("Refused")
    OTHER = "dijawab", _("Answered otherwise")


class TakedownRequest(models.Model):
    """A request to Komdigi (or BSSN) to take a confirmed post down, tracked until answered."""

    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="takedowns")
    capture = models.ForeignKey(Capture, on_delete=models.PROTECT, related_name="+")
    addressee = models.CharField(
        _("to"), max_length=10, choices=TakedownAddressee.choices, default=TakedownAddressee.KOMDIGI
    )
    number = models.CharField(_("letter number"), max_length=100)
    letter_date = models.DateField(_("letter date"))
    reason = models.TextField(_("grounds"))
    answer_due = models.DateField(_("answer expected by"))
    status = models.CharField(
        _("status"), max_length=12, choices=TakedownStatus.choices, default=TakedownStatus.SENT
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer_note = models.TextField(_("answer"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("take-down request")
        verbose_name_plural = _("take-down requests")

    def __str__(self) -> str:
        return self.number
