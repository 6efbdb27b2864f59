"""The ASN register: who may be drawn into a campaign, how likely, and what became of their cases.

``Person`` holds civil servants (ASN: PNS and PPPK) and the village officials the Pilkada law
binds too (kepala desa and perangkat desa, UU 10/2016 Pasal 70 and 71), with the facts the risk
score reads. Names, NIPs and social-media accounts are personal data (UU 27/2022): they are read
through ``awas.asn.selectors``, which check the role (``awas.asn.permissions``), and masked in the
audit log (``personal_fields``).

A case about an ASN lives in ``awas.cases``; this app records which person it concerns and which
act of the SKB 2022 catalogue (``AsnCaseLink``), and follows the sanction from BKN's
recommendation to the PPK's decision (``SanctionFollowUp``). ``cases`` never imports this app.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from awas.cases.models import Sex
from awas.core.models.deadlines import DayType
from awas.core.scope import ScopedQuerySet


class PersonKind(models.TextChoices):
    ASN = "asn", _("ASN (PNS or PPPK)")
    KEPALA_DESA = "kepala_desa", _("Kepala desa")
    PERANGKAT_DESA = "perangkat_desa", _("Perangkat desa")
    OTHER = "lainnya", _("Other official")


class AsnStatus(models.TextChoices):
    PNS = "pns", _("PNS")
    PPPK = "pppk", _("PPPK")


class AgencyKind(models.TextChoices):
    OPD = "opd", _("Regional government agency (OPD)")
    KECAMATAN = "kecamatan", _("Kecamatan office")
    SCHOOL = "sekolah", _("School")
    DESA = "desa", _("Desa/kelurahan office")
    OTHER = "lainnya", _("Other")


class Agency(models.Model):
    """An instansi or OPD people work for; the addressee of imbauan letters. Not personal data."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=AgencyKind.choices, default=AgencyKind.OPD)
    head_title = models.CharField(
        _("title of its head"),
        max_length=200,
        blank=True,
        help_text=_('How letters address the head, e.g. "Kepala Dinas Pendidikan Kabupaten Malang".'),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name

    @property
    def addressee(self) -> str:
        return self.head_title or f"Kepala {self.name}"


class RosterImport(models.Model):
    """One roster file taken in: what it was (SHA-256), who loaded it, what it changed."""

    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("added"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.imported_at:%Y-%m-%d})"


class Person(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=PersonKind.choices, default=PersonKind.ASN)
    name = models.CharField(_("name"), max_length=200)
    nip = models.CharField(
        _("NIP"), max_length=18, unique=True, null=True, blank=True, help_text=_("18 digits; ASN only.")
    )
    asn_status = models.CharField(_("ASN status"), max_length=4, choices=AsnStatus.choices, blank=True)
    # Read from the NIP, never typed in.
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    appointment_year = models.PositiveSmallIntegerField(_("year appointed"), null=True, blank=True)
    appointment_month = models.PositiveSmallIntegerField(_("month appointed"), null=True, blank=True)

    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency (instansi/OPD)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="persons",
    )
    position = models.CharField(_("position (jabatan)"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=200, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("kecamatan or desa"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Where the person works; the kabupaten itself for offices without a kecamatan."),
    )

    # Risk factors (awas.asn.risk). The mobilising position is detected from the jabatan with the
    # keyword list of the "position" factor; ``mobilising_override`` is the staff's correction.
    mobilising_detected = models.BooleanField(_("mobilising position (detected)"), default=False)
    mobilising_override = models.BooleanField(
        _("mobilising position (set by staff)"),
        null=True,
        blank=True,
        help_text=_("Empty: follow the detection from the jabatan."),
    )
    family_tie = models.BooleanField(_("family tie to a candidate"), default=False)
    appointed_by_incumbent = models.BooleanField(_("appointed by the incumbent"), default=False)
    past_violation = models.BooleanField(_("past neutrality violation"), default=False)
    partisan_posts = models.PositiveIntegerField(
        _("partisan posts found"), default=0, help_text=_("Counted by the cyber team's findings.")
    )
    risk_note = models.TextField(
        _("notes on the risk"), blank=True, help_text=_("E.g. the family tie, the appointment, the source.")
    )

    active = models.BooleanField(_("active"), default=True, help_text=_("Off: retired, moved or dismissed."))
    source_import = models.ForeignKey(
        RosterImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="persons"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects: Any = ScopedQuerySet.as_manager()
    scope_region_field = "region"
    personal_fields = frozenset({"name", "nip", "birth_date", "sex", "risk_note"})

    class Meta:
        ordering = ["name"]
        verbose_name = _("person (ASN register)")
        verbose_name_plural = _("persons (ASN register)")
        indexes = [models.Index(fields=["kind", "active"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind=PersonKind.ASN) | models.Q(nip__isnull=False),
                name="asn_person_asn_has_nip",
                violation_error_message=_("An ASN needs a NIP."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def mobilising(self) -> bool:
        return self.mobilising_detected if self.mobilising_override is None else self.mobilising_override


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    TIKTOK = "tiktok", "TikTok"
    X = "x", "X (Twitter)"
    YOUTUBE = "youtube", "YouTube"
    THREADS = "threads", "Threads"
    WHATSAPP = "whatsapp", "WhatsApp"
    OTHER = "lainnya", _("Other")


class SocialAccount(models.Model):
    """An account of a person on a platform; the cyber app matches post authors against these."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="accounts")
    platform = models.CharField(_("platform"), max_length=12, choices=Platform.choices)
    # Stored normalised (no "@", lower case) so that a match is an index lookup.
    handle = models.CharField(_("handle"), max_length=100)
    url = models.URLField(_("URL"), max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    personal_fields = frozenset({"handle", "url"})

    class Meta:
        ordering = ["platform", "handle"]
        verbose_name = _("social-media account")
        verbose_name_plural = _("social-media accounts")
        indexes = [models.Index(fields=["platform", "handle"])]
        constraints = [
            models.UniqueConstraint(fields=["person", "platform", "handle"], name="asn_account_once")
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.handle}"


class PartisanPost(models.Model):
    """A partisan post the cyber team attributed to a person; counted once per post."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="partisan_post_refs")
    post_ref = models.CharField(
        _("post"), max_length=100, help_text=_("The cyber app's reference, e.g. post:40.")
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("partisan post")
        verbose_name_plural = _("partisan posts")
        constraints = [models.UniqueConstraint(fields=["person", "post_ref"], name="asn_post_once")]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.post_ref}"


class FactorCode(models.TextChoices):
    POSITION = "position", _("Position that can mobilise people")
    FAMILY = "family", _("Family tie to a candidate")
    INCUMBENT = "incumbent", _("Appointed by the incumbent")
    PAST_VIOLATION = "past_violation", _("Past neutrality violation")
    PARTISAN_POSTS = "partisan_posts", _("Partisan posts found")


class RiskFactor(models.Model):
    """One factor of the risk score and its weight, set by the office (awas.asn.risk)."""

    code = models.CharField(_("factor"), max_length=20, choices=FactorCode.choices, unique=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(1000)],
        help_text=_("Relative importance; 0 leaves the factor out."),
    )
    saturation = models.PositiveSmallIntegerField(
        _("full at"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("Partisan posts only: the number of posts that counts as the full factor."),
    )
    keywords = models.JSONField(
        _("keywords"),
        default=list,
        blank=True,
        help_text=_("Position only: words of a jabatan that can mobilise people (whole words)."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("risk factor")
        verbose_name_plural = _("risk factors")

    def __str__(self) -> str:
        return f"{self.get_code_display()} ({self.weight})"


class AsnSettings(models.Model):
    """The office's settings for this app (one row)."""

    risk_threshold = models.DecimalField(
        _("risk threshold"),
        max_digits=5,
        decimal_places=2,
        default=40,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_('A person at or above this score (0–100) counts as "berpotensi terlibat".'),
    )
    ppk_days = models.PositiveSmallIntegerField(
        _("PPK must act within (days)"),
        default=14,
        help_text=_(
            "Counted from BKN's recommendation. 14 hari kerja was BKN's practice under the SKB 2022; "
            "whether it still applies since BKN took over from KASN (August 2024) is unverified."
        ),
    )
    ppk_day_type = models.CharField(
        _("counted in"), max_length=10, choices=DayType.choices, default=DayType.WORKING
    )
    letter_city = models.CharField(_("letters dated at"), max_length=60, default="Malang")
    office_address = models.CharField(
        _("office address (letterhead)"),
        max_length=255,
        blank=True,
        help_text=_("Printed under the letterhead."),
    )
    letter_number_format = models.CharField(
        _("letter number format"),
        max_length=100,
        default="{seq:03d}/PM.ASN/Kab/{office}/{month_roman}/{year}",
        help_text=_("Placeholders: {seq}, {office} (e.g. 35.07), {month_roman}, {year}."),
    )
    signer_name = models.CharField(_("letters signed by"), max_length=200, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=100, default="Ketua")

    class Meta:
        verbose_name = _("ASN settings")
        verbose_name_plural = _("ASN settings")

    def __str__(self) -> str:
        return "ASN settings"


class MatrixKind(models.TextChoices):
    KODE_ETIK = "kode_etik", _("Kode etik")
    DISIPLIN = "disiplin", _("Disiplin")


class Stage(models.TextChoices):
    BAKAL_CALON = "bakal_calon", _("Bakal calon (before candidates are set)")
    CALON = "calon", _("Calon (after candidates are set)")


class SanctionKind(models.TextChoices):
    MORAL = "moral", _("Sanksi moral")
    DISIPLIN = "disiplin", _("Hukuman disiplin")
    PTDH = "ptdh", _("Dismissal not with honour (PTDH)")
    SATGAS = "satgas", _("Decided by the Satgas")


class DisciplineLevel(models.TextChoices):
    RINGAN = "ringan", _("Ringan")
    SEDANG = "sedang", _("Sedang")
    BERAT = "berat", _("Berat")


class LevelStatus(models.TextChoices):
    AGREED = "agreed", _("sources agree")
    CONFLICT = "conflict", _("sources conflict")
    SINGLE_SOURCE = "single_source", _("single source, unverified")
    UNVERIFIED = "unverified", _("unverified")
    NOT_APPLICABLE = "not_applicable", _("not applicable")


class Violation(models.Model):
    """An act of the SKB 2022 catalogue (loaded from ``awas/asn/data/skb2022.yaml``)."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    matrix = models.CharField(_("matrix"), max_length=10, choices=MatrixKind.choices)
    act = models.TextField(_("act"))
    stage = models.CharField(_("framed around"), max_length=12, choices=Stage.choices)
    sanction_kind = models.CharField(_("sanction"), max_length=10, choices=SanctionKind.choices)
    level = models.CharField(_("discipline level"), max_length=8, choices=DisciplineLevel.choices, blank=True)
    level_status = models.CharField(_("level"), max_length=16, choices=LevelStatus.choices)
    level_note = models.TextField(_("note on the level"), blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=200)
    sources = models.JSONField(_("sources"), default=list)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        verbose_name = _("SKB 2022 violation")
        verbose_name_plural = _("SKB 2022 violations")

    def __str__(self) -> str:
        return f"{self.code} {self.act[:60]}"


class AsnCaseLink(models.Model):
    """A case of ``awas.cases`` concerns this person, for this act of the SKB 2022 catalogue."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="case_links")
    violation = models.ForeignKey(Violation, verbose_name=_("act (SKB 2022)"), on_delete=models.PROTECT)
    stage = models.CharField(_("stage of the election"), max_length=12, choices=Stage.choices)
    sbt_number = models.CharField(
        _("SBT complaint number"),
        max_length=64,
        blank=True,
        help_text=_("Nomor aduan in BKN's SBT, if filed."),
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ASN case link")
        verbose_name_plural = _("ASN case links")
        constraints = [
            models.UniqueConstraint(fields=["case", "person", "violation"], name="asn_case_link_once")
        ]

    def __str__(self) -> str:
        return f"case {self.case_id} · person {self.person_id} · {self.violation_id}"


class Sanction(models.TextChoices):
    # PP 42/2004 Pasal 15: sanksi moral (kode etik).
    MORAL_TERTUTUP = "moral_tertutup", _("Moral: pernyataan secara tertutup")
    MORAL_TERBUKA = "moral_terbuka", _("Moral: pernyataan secara terbuka")
    # PP 94/2021 Pasal 8 ayat (2) (ringan; not in DOMAIN.md, unverified here).
    RINGAN_LISAN = "ringan_lisan", _("Ringan: teguran lisan")
    RINGAN_TERTULIS = "ringan_tertulis", _("Ringan: teguran tertulis")
    RINGAN_TIDAK_PUAS = "ringan_tidak_puas", _("Ringan: pernyataan tidak puas secara tertulis")
    # PP 94/2021: sedang and berat, DOMAIN.md Addendum B "Sanction scales".
    # xgettext:no-python-format (a plain percent sign, never %-formatted)
    SEDANG_TUKIN_6 = "sedang_tukin_6", _("Sedang: tunjangan kinerja cut 25% for 6 months")
    # xgettext:no-python-format
    SEDANG_TUKIN_9 = "sedang_tukin_9", _("Sedang: tunjangan kinerja cut 25% for 9 months")
    # xgettext:no-python-format
    SEDANG_TUKIN_12 = "sedang_tukin_12", _("Sedang: tunjangan kinerja cut 25% for 12 months")
    BERAT_TURUN = "berat_turun", _("Berat: demotion one level for 12 months")
    BERAT_BEBAS = "berat_bebas", _("Berat: released from the position to a pelaksana post for 12 months")
    BERAT_PDHTAPS = "berat_pdhtaps", _("Berat: dismissal with honour, not at own request (PDHTAPS)")
    PTDH = "ptdh", _("Dismissal not with honour (PTDH)")
    NONE = "tidak_dijatuhi", _("No sanction imposed")


class BknStatus(models.TextChoices):
    NONE = "", _("—")
    IDIS = "idis", _("Recorded in I'Dis")
    WARNED = "teguran", _("BKN warned the PPK (teguran)")
    BLOCKED = "blokir", _("Personnel data blocked in SIASN")


class SanctionFollowUp(models.Model):
    """From BKN's recommendation to the PPK's decision (DOMAIN.md Addendum C).

    The PPK's due date is counted from the recommendation with the office's setting (default 14
    hari kerja, the SKB 2022 practice reported by BKN; whether it still applies after KASN closed
    in Aug 2024 is unverified). The follow-up is overdue once that date has passed without a
    decision.
    """

    link = models.OneToOneField(AsnCaseLink, on_delete=models.CASCADE, related_name="follow_up")
    forwarded_on = models.DateField(_("forwarded to BKN / Satgas"), null=True, blank=True)
    recommendation_number = models.CharField(_("BKN recommendation number"), max_length=100, blank=True)
    recommendation_date = models.DateField(_("BKN recommendation date"), null=True, blank=True)
    ppk = models.CharField(
        _("PPK (official who imposes the sanction)"),
        max_length=200,
        blank=True,
        help_text=_("E.g. Bupati Malang."),
    )
    ppk_due = models.DateField(_("PPK to decide by"), null=True, blank=True, db_index=True)
    decision_number = models.CharField(_("PPK decision number"), max_length=100, blank=True)
    decision_date = models.DateField(_("PPK decision date"), null=True, blank=True)
    sanction = models.CharField(_("sanction imposed"), max_length=20, choices=Sanction.choices, blank=True)
    bkn_status = models.CharField(
        _("BKN action"), max_length=10, choices=BknStatus.choices, blank=True, default=BknStatus.NONE
    )
    note = models.TextField(_("note"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sanction follow-up")
        verbose_name_plural = _("sanction follow-ups")
        indexes = [models.Index(fields=["decision_date", "ppk_due"])]

    def __str__(self) -> str:
        return f"follow-up of link {self.link_id}"


class RecipientKind(models.TextChoices):
    OPD_HEAD = "kepala_opd", _("Head of an agency (OPD)")
    CAMAT = "camat", _("Camat")
    SCHOOL_HEAD = "kepala_sekolah", _("Head of a school")
    KEPALA_DESA = "kepala_desa", _("Kepala desa")
    OTHER = "lainnya", _("Other")


class ImbauanLetter(models.Model):
    """An imbauan (appeal) on neutrality to one addressee; numbered from a yearly counter."""

    number = models.CharField(_("letter number"), max_length=100, unique=True)
    letter_date = models.DateField(_("letter date"))
    recipient_kind = models.CharField(_("addressee kind"), max_length=16, choices=RecipientKind.choices)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="letters"
    )
    recipient = models.CharField(_("addressed to"), max_length=255)
    recipient_place = models.CharField(_("at"), max_length=100, default="Tempat")
    subject = models.CharField(_("subject (perihal)"), max_length=255)
    body = models.TextField(_("text"))
    office = models.CharField(_("office"), max_length=100, help_text=_('E.g. "Kabupaten Malang".'))
    office_code = models.CharField(max_length=13)
    city = models.CharField(_("dated at"), max_length=60)
    signer_name = models.CharField(_("signed by"), max_length=200, blank=True)
    signer_title = models.CharField(_("as"), max_length=100, default="Ketua")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-letter_date", "-id"]
        verbose_name = _("imbauan letter (ASN)")
        verbose_name_plural = _("imbauan letters (ASN)")

    def __str__(self) -> str:
        return self.number
