"""Violation handling (penanganan pelanggaran): the case and everything recorded about it.

A case's current status is a denormalised copy of its newest ``StatusChange``; it is changed only
by the services, which add the history row in the same transaction (STYLE.md practice 5). Personal
data of the pelapor lives in ``Reporter``, read only through selectors that check the role
(UU 27/2022). This app knows nothing of where a case came from besides ``channel`` and the
free-form ``source_ref`` (ARCHITECTURE.md: cases imports no cyber, supervision or asn).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from awas.core.models.deadlines import DayType, ElectionType
from awas.core.scope import ScopedQuerySet


class CaseKind(models.TextChoices):
    LAPORAN = "laporan", _("Laporan (report from the public)")
    TEMUAN = "temuan", _("Temuan (supervisor's finding)")
    INFORMASI_AWAL = "informasi_awal", _("Informasi awal (tip)")


class Channel(models.TextChoices):
    WEB = "web", _("Public web form")
    IN_PERSON = "langsung", _("In person at the office")
    EMAIL = "email", _("E-mail")
    FORM_A = "form_a", _("Form A (LHP)")
    KADER = "kader", _("Cadre / monitor")
    CYBER = "siber", _("Cyber supervision")


class CaseStatus(models.TextChoices):
    # Perbawaslu 8/2020 jo. 9/2024; DOMAIN.md §2.4 and Addendum A.4 (status words in use).
    RECEIVED = "diterima", _("Received")
    INCOMPLETE = "perlu_kelengkapan", _("Waiting for missing requirements")
    NOT_REGISTERED = "tidak_diregistrasi", _("Not registered")
    REGISTERED = "diregistrasi", _("Registered")
    CLARIFICATION = "klarifikasi", _("Clarification")
    STUDY = "kajian", _("Study (kajian)")
    DECIDED = "diputus", _("Decided in plenary")
    REFERRED = "diteruskan", _("Referred to the competent body")
    CLOSED = "selesai", _("Closed")
    FOLLOWED_UP = "ditindaklanjuti", _("Followed up as a temuan")  # an informasi awal taken up
    ARCHIVED = "diarsipkan", _("Archived")  # an informasi awal not taken up
    MERGED = "digabung", _("Merged into another case")


class DecisionOutcome(models.TextChoices):
    # DOMAIN.md §2.3: categories and routing.
    ADMINISTRASI = "administrasi", _("Pelanggaran administrasi")
    PIDANA = "pidana", _("Tindak pidana pemilihan")
    KODE_ETIK = "kode_etik", _("Pelanggaran kode etik")
    LAINNYA = "lainnya", _("Pelanggaran peraturan perundang-undangan lainnya")
    BUKAN_PELANGGARAN = "bukan_pelanggaran", _("Bukan pelanggaran")
    DIHENTIKAN = "dihentikan", _("Dihentikan")


# The general election law names its crime "tindak pidana Pemilu" (UU 7/2017, Buku Kelima);
# "tindak pidana pemilihan" is the Pilkada law's (UU 1/2015 jo. UU 10/2016). The other outcomes
# are named alike in both.
PEMILU_OUTCOME_LABELS = {DecisionOutcome.PIDANA: _("Tindak pidana Pemilu")}


def outcome_label(outcome: str, election_type: str) -> str:
    """The plenary's outcome as a case of ``election_type`` names it (its law's own words)."""
    if election_type == ElectionType.PEMILU and outcome in PEMILU_OUTCOME_LABELS:
        return str(PEMILU_OUTCOME_LABELS[DecisionOutcome(outcome)])
    return str(DecisionOutcome(outcome).label)


class Case(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=CaseKind.choices)
    election_type = models.CharField(
        _("election type"), max_length=10, choices=ElectionType.choices, default=ElectionType.PILKADA
    )
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices, default=Channel.WEB)
    # What the public uses to follow the case: random, unguessable, shows status only.
    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True)
    registration_number = models.CharField(
        _("registration number"), max_length=64, unique=True, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.RECEIVED, db_index=True
    )
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("place (kecamatan or desa)"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    tps = models.ForeignKey(
        "regions.Tps",
        verbose_name=_("TPS"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    title = models.CharField(_("what happened (short)"), max_length=255)
    event_place = models.CharField(_("place of the event"), max_length=255, blank=True)
    event_date = models.DateField(_("date of the event"), null=True, blank=True)
    # When the sender of an informasi awal does not know the exact day: when it happened, in their
    # words ("akhir pekan lalu, malam hari"); event_date is then empty. A laporan always has a date
    # (Perbawaslu 9/2024 formulir laporan: "Hari dan Tanggal Kejadian"). No clock reads it.
    event_time_note = models.CharField(_("roughly when (exact day not known)"), max_length=200, blank=True)
    known_date = models.DateField(_("date it became known"), null=True, blank=True)
    received_at = models.DateTimeField(_("received"), db_index=True)
    chronology = models.TextField(_("chronology"), blank=True)

    terlapor_name = models.CharField(_("reported person (terlapor)"), max_length=200, blank=True)
    terlapor_address = models.CharField(_("terlapor address"), max_length=255, blank=True)
    terlapor_phone = models.CharField(_("terlapor phone"), max_length=32, blank=True)
    terlapor_position = models.CharField(
        _("terlapor position"), max_length=200, blank=True, help_text=_("e.g. ASN, kepala desa, paslon")
    )

    # Statutory due dates, computed by the deadline service and kept here to list and filter fast.
    filing_due = models.DateField(_("report filing deadline"), null=True, blank=True)
    completion_due = models.DateField(_("completion deadline"), null=True, blank=True)
    decision_due = models.DateField(_("decision deadline"), null=True, blank=True, db_index=True)
    # Pemilu: the kajian awal of a laporan (formal and material check), within 2 days of receipt.
    review_due = models.DateField(_("kajian awal deadline"), null=True, blank=True)
    # A temuan is established (ditetapkan) by the plenary, which may sit before it is registered
    # here: the day the finding clock is measured against and, for Pemilu, the decision clock's
    # start (UU 7/2017 Pasal 454 ayat (5), (7)). Empty for a laporan, registered by staff.
    established_on = models.DateField(_("established in plenary on"), null=True, blank=True)
    decision_extended = models.BooleanField(_("more information requested"), default=False)
    # What the pelapor was asked for (Pasal 134(6) / 454(8)), when and by whom: shown on the case.
    more_info_request = models.TextField(_("information requested from the pelapor"), blank=True)
    more_info_requested_at = models.DateTimeField(_("information requested on"), null=True, blank=True)
    more_info_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="merged_cases"
    )
    source_ref = models.CharField(
        _("source"), max_length=100, blank=True, help_text=_("Where it came from, e.g. form_a:12 or post:40")
    )
    # A public form carries a one-time key: a double submit returns the first case, never a second.
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: Any = ScopedQuerySet.as_manager()
    scope_region_field = "region"
    scope_tps_field = "tps"
    personal_fields = frozenset({"terlapor_name", "terlapor_address", "terlapor_phone"})
    # Free text that quotes the pelapor, the saksi and the terlapor: in the audit log as a digest.
    audit_digest_fields = frozenset({"chronology", "more_info_request"})

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["status", "decision_due"]),
            models.Index(fields=["kind", "-received_at"]),
        ]

    def __str__(self) -> str:
        return self.registration_number or self.tracking_code


class Sex(models.TextChoices):
    MALE = "L", _("Male")
    FEMALE = "P", _("Female")


class Reporter(models.Model):
    """The pelapor: personal data, shown only to the roles that handle the case (UU 27/2022)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="reporter")
    name = models.CharField(_("name"), max_length=200)
    birth_place = models.CharField(_("place of birth"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    occupation = models.CharField(_("occupation"), max_length=100, blank=True)
    nationality = models.CharField(_("nationality"), max_length=60, default="Indonesia")
    address = models.CharField(_("address"), max_length=255)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    personal_fields = frozenset(
        {"name", "birth_place", "birth_date", "address", "phone", "email", "occupation"}
    )

    class Meta:
        verbose_name = _("reporter (pelapor)")

    def __str__(self) -> str:
        return f"pelapor of {self.case_id}"


def pelapor_mail_topic(case_id: int) -> str:
    """The ``OutgoingMail.topic`` of every e-mail to the pelapor of case ``case_id`` (``notify``,
    ``reminders``): the case page finds there the ones that never reached them."""
    return f"pelapor:{case_id}"


class Witness(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="witnesses")
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    personal_fields = frozenset({"name", "address", "phone"})

    class Meta:
        verbose_name = _("witness (saksi)")

    def __str__(self) -> str:
        return f"saksi of {self.case_id}"


class CaseEvidence(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    evidence = models.ForeignKey("core.EvidenceFile", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("file name"), max_length=255)
    description = models.CharField(_("description"), max_length=255, blank=True)
    clarification = models.ForeignKey(
        "Clarification", on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        constraints = [
            models.UniqueConstraint(fields=["case", "evidence", "clarification"], name="case_evidence_once")
        ]

    def __str__(self) -> str:
        return self.name


class StatusChange(models.Model):
    """One row per status change: the history beside the current status, never edited."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=CaseStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    public_note = models.CharField(
        _("note for the pelapor"), max_length=500, blank=True, help_text=_("Shown on the tracking page.")
    )
    at = models.DateTimeField(_("time"), db_index=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("status change")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status} → {self.to_status}"


class RequirementCheck(models.Model):
    """Syarat formal and materiel (DOMAIN.md §2.4 items 2–3)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="requirements")
    formal_identity = models.BooleanField(_("identity of the pelapor"), default=False)
    formal_terlapor = models.BooleanField(_("terlapor named"), default=False)
    formal_in_time = models.BooleanField(_("filed within the deadline"), default=False)
    formal_signature = models.BooleanField(_("signature matches the KTP-el"), default=False)
    material_event = models.BooleanField(_("event described"), default=False)
    material_place_time = models.BooleanField(_("place and time"), default=False)
    material_witness = models.BooleanField(_("witnesses"), default=False)
    material_evidence = models.BooleanField(_("evidence"), default=False)
    notes = models.TextField(_("notes"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)

    FORMAL = ("formal_identity", "formal_terlapor", "formal_in_time", "formal_signature")
    MATERIAL = ("material_event", "material_place_time", "material_witness", "material_evidence")
    # Free text that quotes the pelapor, the saksi and the terlapor: in the audit log as a digest.
    audit_digest_fields = frozenset({"notes"})

    class Meta:
        verbose_name = _("requirement check")

    def __str__(self) -> str:
        return f"requirements of {self.case_id}"

    def missing(self) -> list[str]:
        """The labels of the requirements not met, for the letter to the pelapor."""
        return [
            str(getattr(self._meta.get_field(name), "verbose_name", name))
            for name in (*self.FORMAL, *self.MATERIAL)
            if not getattr(self, name)
        ]


class Clarification(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clarifications")
    invitee_name = models.CharField(_("invited person"), max_length=200)
    invitee_role = models.CharField(
        _("as"),
        max_length=20,
        choices=[
            ("pelapor", "Pelapor"),
            ("terlapor", "Terlapor"),
            ("saksi", "Saksi"),
            ("ahli", "Ahli"),
            ("lainnya", _("Other")),
        ],
    )
    scheduled_at = models.DateTimeField(_("scheduled for"))
    place = models.CharField(_("place"), max_length=255)
    letter_number = models.CharField(_("invitation letter number"), max_length=64, blank=True)
    letter_date = models.DateField(_("invitation letter date"), null=True, blank=True)
    statement = models.TextField(_("record of statements (berita acara)"), blank=True)
    held_at = models.DateTimeField(_("held"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Who wrote the berita acara: its "Pemeriksa", not necessarily who sent the invitation.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    personal_fields = frozenset({"invitee_name"})
    # Free text that quotes the pelapor, the saksi and the terlapor: in the audit log as a digest.
    audit_digest_fields = frozenset({"statement"})

    class Meta:
        ordering = ["scheduled_at"]
        verbose_name = _("clarification")

    def __str__(self) -> str:
        return f"klarifikasi {self.case_id} {self.scheduled_at:%Y-%m-%d}"


class Study(models.Model):
    """Kajian: facts, analysis, the article violated, conclusion."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="study")
    facts = models.TextField(_("facts"))
    analysis = models.TextField(_("analysis"))
    article_violated = models.CharField(_("article violated"), max_length=255, blank=True)
    conclusion = models.TextField(_("conclusion"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    # Free text that quotes the pelapor, the saksi and the terlapor: in the audit log as a digest.
    audit_digest_fields = frozenset({"facts", "analysis", "conclusion"})

    class Meta:
        verbose_name = _("study (kajian)")

    def __str__(self) -> str:
        return f"kajian {self.case_id}"


class Decision(models.Model):
    """The plenary's decision (rapat pleno)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(_("outcome"), max_length=20, choices=DecisionOutcome.choices)
    reasons = models.TextField(_("reasons"))
    plenary_date = models.DateField(_("date of the plenary"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # Free text that quotes the pelapor, the saksi and the terlapor: in the audit log as a digest.
    audit_digest_fields = frozenset({"reasons"})

    class Meta:
        verbose_name = _("decision")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.outcome}"


class ReferralBody(models.Model):
    """Where decided cases go; configurable, as KASN became BKN in 2024 (DOMAIN.md §2.3, §7 item 3)."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    addressee = models.CharField(
        _("letters addressed to"),
        max_length=200,
        blank=True,
        help_text=_('The head of the body, as the letter names them: "Kepala Badan Kepegawaian Negara".'),
    )
    address = models.TextField(_("address"), blank=True)
    outcomes = models.JSONField(
        _("handles outcomes"), default=list, help_text=_("Decision outcomes routed to this body.")
    )
    follow_up_days = models.PositiveSmallIntegerField(
        _("expected answer within (days)"),
        default=14,
        help_text=_("After this the follow-up is listed as overdue."),
    )
    # Some bodies work to hari kerja (the Gakkumdu investigator's 14, the PPK's 14 under the SKB
    # practice, DOMAIN.md §2.3 and Addendum C): their answer is counted like a Pemilu clock,
    # skipping weekends and the office's holiday calendar.
    follow_up_day_type = models.CharField(
        _("answer time counted in"),
        max_length=16,
        choices=DayType.choices,
        default=DayType.CALENDAR,
    )
    # "Pelanggaran peraturan perundang-undangan lainnya" goes to the agency competent for the
    # terlapor (ASN → BKN, kepala desa → Pemkab/Kemendagri): suggested by the words of the
    # terlapor's position, kept here so the office can change recipients without a release.
    position_keywords = models.JSONField(
        _("terlapor position words"),
        default=list,
        blank=True,
        help_text=_(
            "Suggested when the terlapor's position contains one of these words or phrases "
            '(e.g. "ASN", "PNS", "kepala desa"). Empty: suggested by outcome alone.'
        ),
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"),
        default=100,
        help_text=_("When several bodies fit, the lowest number is suggested first."),
    )
    active = models.BooleanField(_("active"), default=True)

    # Shared by every office on the server: its changes belong in every office's audit log.
    audit_region_global = True

    class Meta:
        ordering = ["priority", "name"]
        verbose_name = _("referral body")
        verbose_name_plural = _("referral bodies")

    def __str__(self) -> str:
        return self.name


class Referral(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    body = models.ForeignKey(ReferralBody, on_delete=models.PROTECT, related_name="referrals")
    letter_number = models.CharField(_("letter number"), max_length=64)
    sent_on = models.DateField(_("sent"))
    follow_up_due = models.DateField(_("answer expected by"))
    # The answer date the letter itself asked for. ``follow_up_due`` moves when the body reports
    # progress (ReferralProgress); the signed letter does not, and a copy printed again for the
    # file says what was sent. Migration 0019 gave earlier referrals the date before their first
    # progress; empty, the letter falls back to ``follow_up_due``.
    letter_answer_due = models.DateField(_("answer asked for in the letter"), null=True, blank=True)
    # The body's count when the letter left, kept with the date it gave: a body the administrator
    # later moves to calendar days (or to hari kerja) does not change what was asked of it then.
    follow_up_day_type = models.CharField(
        _("answer time counted in"), max_length=16, choices=DayType.choices, default=DayType.CALENDAR
    )
    response = models.TextField(_("answer of the body"), blank=True)
    sanction = models.CharField(_("sanction imposed"), max_length=255, blank=True)
    responded_on = models.DateField(_("answered"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    # Free text that quotes the pelapor, the saksi and the terlapor: in the audit log as a digest.
    audit_digest_fields = frozenset({"response", "sanction"})

    class Meta:
        ordering = ["sent_on"]
        verbose_name = _("referral")
        indexes = [
            # The answers still awaited, by date: the overdue list and its menu count on every page,
            # and the reminders. Answered referrals pile up over the years and are left out.
            models.Index(
                fields=["follow_up_due"],
                name="referral_awaited_due",
                condition=models.Q(responded_on__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.letter_number} → {self.body}"


class ReferralProgress(models.Model):
    """What a body reported before its final answer (Sentra Gakkumdu: the case went on to
    investigation; BKN: the recommendation went to the PPK), and when the answer is now expected.
    Without it a referral still being worked on sits on the overdue list for months."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="progress")
    reported_on = models.DateField(_("reported on"))
    note = models.TextField(_("what the body reported"))
    answer_expected_by = models.DateField(_("answer now expected by"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    # Free text about the case's people, like the answer itself: in the audit log as a digest.
    audit_digest_fields = frozenset({"note"})

    class Meta:
        ordering = ["reported_on", "pk"]
        verbose_name = _("referral progress")
        verbose_name_plural = _("referral progress")

    def __str__(self) -> str:
        return f"{self.referral_id} {self.reported_on}"


class CaseLink(models.Model):
    class Kind(models.TextChoices):
        RELATED = "terkait", _("Related")
        MERGED = "digabung", _("Merged")
        ORIGIN = "asal", _("Taken up from")  # a temuan made from an informasi awal

    from_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_out")
    to_case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links_in")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Why the two were merged, as the officer gave it: read on both cases' pages with the link (the
    # case that goes on says which cases were merged into it, when, by whom and why).
    reason = models.TextField(_("reason"), blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["from_case", "to_case", "kind"], name="case_link_once")
        ]

    def __str__(self) -> str:
        return f"{self.from_case_id} {self.kind} {self.to_case_id}"


class Counter(models.Model):
    """Yearly sequence numbers (registration numbers, letters), locked while incremented."""

    key = models.CharField(max_length=64)
    year = models.PositiveSmallIntegerField()
    value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "year"], name="counter_key_year")]

    def __str__(self) -> str:
        return f"{self.key}/{self.year}: {self.value}"


class Reminder(models.Model):
    """An in-app notice (also e-mailed) that a deadline is due soon; one per user, case, deadline, due."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reminders")
    deadline = models.CharField(max_length=32)
    due = models.DateField()
    message = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "case", "deadline", "due"], name="reminder_once")
        ]

    def __str__(self) -> str:
        return self.message


class PelaporReminder(models.Model):
    """An e-mail that reminded the pelapor of a deadline of theirs (the day before the time to
    complete the laporan runs out): one per case, deadline and due date, so a job run twice a day
    sends it once, and a deadline set again (a merge undone) is reminded again."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="pelapor_reminders")
    deadline = models.CharField(max_length=32)
    due = models.DateField()
    # Queued then, in the same transaction as this row (``awas.core.services.mail``): a run that
    # dies leaves both or neither, so the message is never recorded as sent and then lost.
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "deadline", "due"], name="pelapor_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.deadline} {self.due}"
