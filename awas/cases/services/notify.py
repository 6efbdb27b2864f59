"""E-mail to the pelapor about their laporan, queued in the step's transaction and sent after it
commits (``awas.core.services.mail``).

A failed e-mail never breaks the step that caused it: it waits in the queue and is tried again,
and the tracking page (which reads ``StatusChange.public_note``) shows the news meanwhile.
``AWAS_NOTIFY_PELAPOR = False`` in the settings turns the e-mails off. The message carries the
status and the note, never the names of other people in the case and never another case's
tracking code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from awas.cases.formatting import hari_tanggal, local, office_name, pukul, tanggal, today_local, zone_label
from awas.cases.models import (
    Case,
    CaseKind,
    CaseStatus,
    Clarification,
    Decision,
    DecisionOutcome,
    Reporter,
    StatusChange,
    outcome_label,
    pelapor_mail_topic,
)
from awas.cases.permissions import handles_cases
from awas.cases.services.common import filed_late
from awas.core.models import OutgoingMail
from awas.core.models.deadlines import DayType
from awas.core.scope import in_scope
from awas.core.selectors import mail_undelivered
from awas.core.services.audit import audit_record, text_digest
from awas.core.services.deadlines import EXTENSION_SUFFIX, RuleSpec, rule_get
from awas.core.services.mail import mail_queue, mail_take_back

# The plenary's outcomes that end the handling (the case closes); the others are referred.
CLOSING_OUTCOMES = frozenset({DecisionOutcome.BUKAN_PELANGGARAN, DecisionOutcome.DIHENTIKAN})

# The first note to the pelapor of a laporan, filed online or recorded at the desk: what happens
# next, so that the notice of what is missing and by when (requirements_check) is expected.
LAPORAN_RECEIVED_NOTE = (
    "Laporan Anda telah diterima. Syarat formal dan materielnya akan diperiksa. Bila ada yang "
    "kurang, Anda akan diberi tahu apa yang harus dilengkapi dan paling lambat kapan."
)


def _lama(rule: RuleSpec) -> str:
    """A rule's length as the pelapor reads it: ``7 hari`` or ``7 hari kerja``."""
    return f"{rule.days} hari" + (" kerja" if rule.day_type == DayType.WORKING else "")


def laporan_received_note(case: Case) -> str:
    """The first note to the pelapor of ``case``, a laporan: LAPORAN_RECEIVED_NOTE or, when it came
    after the filing deadline (the pelapor chose to send it anyway), that it did, and that the office
    will check it and tell them the outcome. A late laporan fails the syarat formal "filed within the
    deadline" and is recorded as not registered with the reason (DOMAIN.md §2.4 item 2; UU 10/2016
    Pasal 134 ayat (4), UU 7/2017 Pasal 454 ayat (6)): it is never asked to complete what no
    completion can mend, so nothing is promised that will not come."""
    if not filed_late(case) or case.filing_due is None:
        return LAPORAN_RECEIVED_NOTE
    rule = rule_get(case.election_type, "report_filing")
    days = _lama(rule)
    known = f": Anda mengetahuinya pada {tanggal(case.known_date)}, sehingga" if case.known_date else ","
    return (
        "Laporan Anda telah diterima. Laporan ini disampaikan setelah lewat batas waktu pelaporan, "
        f"yaitu {days} sejak kejadiannya diketahui ({rule.legal_basis}){known} batasnya "
        f"{tanggal(case.filing_due)}. Kantor akan memeriksa laporan ini dan memberitahukan hasilnya "
        "kepada Anda."
    )


def pelapor_emails_on() -> bool:
    """Whether this office e-mails the pelapor at all (setting ``AWAS_NOTIFY_PELAPOR``)."""
    return bool(getattr(settings, "AWAS_NOTIFY_PELAPOR", True))


def pelapor_email(case: Case) -> str:
    """The pelapor's e-mail address, or "" (none given, or no pelapor)."""
    if case.pk is None:
        return ""
    return Reporter.objects.filter(case_id=case.pk).values_list("email", flat=True).first() or ""


def pelapor_message_on_commit(
    *,
    case: Case,
    subject: str,
    body: str,
    email: str | None = None,
    send_until: dt.datetime | None = None,
) -> bool:
    """Queue a message to the pelapor in this transaction, sent once it commits (``mail_queue``:
    kept and tried again while the mail server does not take it); False when there is no address.
    ``email``: the address when the caller has it at hand (intake), else it is looked up.
    ``send_until``: a message of a day not sent after it (an invitation after the meeting)."""
    if not pelapor_emails_on():
        return False
    email = pelapor_email(case) if email is None else email
    if not email:
        return False
    # Tagged with the case: a message that never reaches the pelapor is shown on its page.
    mail_queue(subject, body, [email], topic=pelapor_mail_topic(case.pk), send_until=send_until)
    return True


def public_url(path: str, request: HttpRequest | None = None) -> str:
    """``path`` as a full address the public can open: under ``AWAS_PUBLIC_URL`` when the office
    set it (the public reaches it at another address than staff), else under the request's own
    address; "" with neither (a job sending mail has no request)."""
    base = str(getattr(settings, "AWAS_PUBLIC_URL", "") or "").rstrip("/")
    if base:
        return base + path
    return request.build_absolute_uri(path) if request is not None else ""


def tracking_link(case: Case) -> str:
    """The case's tracking page as a full address for an e-mail, or "" (``public_url``)."""
    return public_url(reverse("public:track_detail", args=[case.tracking_code]))


def tracking_where(case: Case, what: str = "laporan") -> str:
    """Where the pelapor follows ``case``: the page's address when the office set
    ``AWAS_PUBLIC_URL``; else, as the day-before reminder says it, the end of the address and the
    code to type in (a pelapor told only "the tracking page" has no way to find it)."""
    follow = f"Perkembangannya dapat diikuti di halaman pelacakan {what}"
    link = tracking_link(case)
    if link:
        return f"{follow}: {link}"
    return (
        f"{follow} (alamatnya berakhiran {reverse('public:track')}) dengan kode pelacakan "
        f"{case.tracking_code}, atau ditanyakan ke kantor."
    )


def office_signature(case: Case) -> str:
    """The closing of an e-mail to the pelapor: the office, with its address and telephone when
    the office set them (``AWAS_OFFICE_ADDRESS``, ``AWAS_OFFICE_PHONE``, as on the receipt). A
    notice asking them to complete the laporan at the office, or to bring more information,
    must say where that office is and whom to call."""
    lines = [office_name(case)]
    if address := str(getattr(settings, "AWAS_OFFICE_ADDRESS", "") or "").strip():
        lines.append(address)
    if phone := str(getattr(settings, "AWAS_OFFICE_PHONE", "") or "").strip():
        lines.append(f"Telepon {phone}")
    return "\n".join(lines)


def joint_decision_note(case_id: int, to_status: str) -> str:
    """What the pelapor of a laporan merged into case ``case_id`` reads of its step to
    ``to_status`` when that step is the plenary's decision: its date and outcome, the news they
    waited for. Never the note written to that case's own pelapor (its reason may name them);
    "" for any other step."""
    if to_status not in (CaseStatus.DECIDED, CaseStatus.CLOSED):
        return ""
    decision = (
        Decision.objects.filter(case_id=case_id)
        .values_list("outcome", "plenary_date", "case__election_type")
        .first()
    )
    if decision is None:
        return ""
    outcome_value, plenary_date, election_type = decision
    closing = outcome_value in CLOSING_OUTCOMES
    if to_status != (CaseStatus.CLOSED if closing else CaseStatus.DECIDED):
        return ""  # closed on the body's answer: the decision was told at its own step
    with translation.override(settings.LANGUAGE_CODE):
        outcome = outcome_label(outcome_value, election_type)  # "tindak pidana Pemilu" under UU 7/2017
    then = (
        "Penanganan laporan selesai."
        if closing
        else "Perkara akan diteruskan kepada instansi yang berwenang."
    )
    return f"Rapat pleno tanggal {tanggal(plenary_date)} memutuskan: {outcome}. {then}"


def decision_due_note(case: Case) -> str:
    """By when the plenary decides ``case``, as its pelapor is told at registration: the date, and
    that it may be extended. "" when the decision clock does not run, the date is not known, or it
    has already passed (a Pilkada laporan completed late: its clock counts from receipt), since a
    date already gone tells the pelapor nothing they can wait for."""
    from awas.cases.services.workflow import decision_clock_runs  # workflow imports this module

    due = case.decision_due
    if due is None or not decision_clock_runs(case) or due < today_local():
        return ""
    note = f"Sesuai ketentuan, laporan ini diputuskan dalam rapat pleno paling lambat {tanggal(due)}."
    if case.decision_extended:
        return note  # already extended: this is the last date
    # When more information is needed the decision may come later: UU 10/2016 Pasal 134 ayat (6)
    # (Pilkada, at most 2 more days) or UU 7/2017 Pasal 454 ayat (8) (Pemilu, 7 more hari kerja);
    # the figures come from the rule (deadline_rules.yaml, decision_extension).
    extension = rule_get(case.election_type, "decision" + EXTENSION_SUFFIX)
    return (
        f"{note} Bila diperlukan keterangan tambahan, batas waktu ini dapat diperpanjang paling lama "
        f"{_lama(extension)}."
    )


def status_message(case: Case, change: StatusChange, *, merged: bool = False) -> tuple[str, str]:
    """Subject and body, in Indonesian, of the notice of a status change. ``merged``: ``case`` was
    merged into the case whose status changed; its pelapor hears of it under their own code."""
    with translation.override(settings.LANGUAGE_CODE):
        status = str(CaseStatus(change.to_status).label)
        # An informasi awal is not a laporan (DOMAIN.md A.5): its sender is told in its own words.
        what = "informasi awal" if case.kind == CaseKind.INFORMASI_AWAL else "laporan"
        subject = f"Status {what} {case.tracking_code}: {status}"
        lines = [f"Yth. {'Pengirim informasi' if what == 'informasi awal' else 'Pelapor'},", ""]
        if merged:
            lines.append(
                f"{what.capitalize()} Anda dengan kode pelacakan {case.tracking_code} ditangani bersama "
                f"perkara lain tentang peristiwa yang sama. Status perkara gabungan itu kini: {status}."
            )
        else:
            lines.append(f"Status {what} Anda dengan kode pelacakan {case.tracking_code} kini: {status}.")
        if change.public_note and not merged:
            # The joint case's note is written to its own pelapor and may name them: never passed on.
            lines += ["", change.public_note]
        elif merged and (decided := joint_decision_note(change.case_id, change.to_status)):
            lines += ["", decided]
        if not merged and change.to_status == CaseStatus.REGISTERED and (due := decision_due_note(case)):
            lines += ["", due]
        lines += [
            "",
            tracking_where(case, what),
            "Simpan kode ini dan jangan berikan kepada orang lain.",
            "",
            office_signature(case),
        ]
    return subject, "\n".join(lines)


def pelapor_notify_on_commit(*, case: Case, change: StatusChange, told: Collection[int] = ()) -> bool:
    """E-mail the pelapor about ``change`` once the transaction commits (if they gave an address).

    A temuan has no pelapor; an informasi awal has one only when the sender left a contact.
    ``told``: the cases whose pelapor an e-mail of the same step already tells of this change
    (the first invitation to a clarification, ``invitation_message``): not told twice at once.
    """
    if not pelapor_emails_on():
        return False
    sent = case.pk in told
    if not sent:
        subject, body = status_message(case, change)
        sent = pelapor_message_on_commit(case=case, subject=subject, body=body)
    # Whoever reported the same event in a laporan merged into this one follows it from then on.
    for merged in cases_merged_into(case):
        if merged.pk in told:
            continue
        subject, body = status_message(merged, change, merged=True)
        pelapor_message_on_commit(case=merged, subject=subject, body=body)
    return sent


MERGE_DEPTH = 5  # a case with merges merged in turn: followed this far down (or up) the chain


def cases_merged_into(case: Case) -> list[Case]:
    """The cases merged into ``case``, and those merged into them."""
    found: list[Case] = []
    frontier = [case.pk]
    for _depth in range(MERGE_DEPTH):
        merged = list(
            Case.objects.filter(merged_into_id__in=frontier, status=CaseStatus.MERGED).select_related(
                "region"
            )
        )
        if not merged:
            break
        found += merged
        frontier = [c.pk for c in merged]
    return found


def _same_name(one: str, other: str) -> bool:
    return " ".join(one.casefold().split()) == " ".join(other.casefold().split())


def invited_pelapor_case(case: Case, clarification: Clarification) -> Case | None:
    """The laporan whose pelapor ``clarification`` invites: ``case`` itself, or a laporan merged
    into it whose pelapor is the one named in the invitation. None when the invitee is not a
    pelapor, or when it is not clear which pelapor (laporan merged in, none named as typed): a
    notice must not reach the wrong person."""
    if clarification.invitee_role != "pelapor" or case.kind != CaseKind.LAPORAN:
        return None
    merged = cases_merged_into(case)
    candidates = [case, *merged]
    names = dict(Reporter.objects.filter(case__in=candidates).values_list("case_id", "name"))
    named = [c for c in candidates if _same_name(names.get(c.pk, ""), clarification.invitee_name)]
    if len(named) == 1:
        return named[0]
    return None if merged else case


def _invitation_subject(case: Case) -> str:
    return f"Undangan klarifikasi: laporan {case.tracking_code}"


def _invitation_number_line(clarification: Clarification) -> str:
    return f"Nomor surat undangan: {clarification.letter_number}"


def invitation_mail_take_back(case: Case, clarification: Clarification) -> int:
    """Drop the e-mail inviting the pelapor of ``case`` to ``clarification`` if it has not gone out
    (the mail server did not take it yet): withdrawn, it must not reach them after the withdrawal
    and call them to a meeting not held. How many were dropped (0 or 1)."""
    return mail_take_back(
        topic=pelapor_mail_topic(case.pk),
        subject=_invitation_subject(case),
        containing=_invitation_number_line(clarification) + "\n",
    )


def invitation_withdrawn_message(case: Case, clarification: Clarification) -> tuple[str, str]:
    """Subject and body, in Indonesian, telling the pelapor of ``case`` that their invitation to a
    clarification is withdrawn (``workflow.clarification_cancel``): which one (its number, day,
    hour and place), that they need not come, and that a new day comes with a new invitation. Not
    the reason: it is written for the file and may name others."""
    when = local(clarification.scheduled_at)
    subject = f"Undangan klarifikasi dibatalkan: laporan {case.tracking_code}"
    lines = [
        "Yth. Pelapor,",
        "",
        f"Undangan klarifikasi kepada Anda nomor {clarification.letter_number} tentang laporan dengan kode "
        f"pelacakan {case.tracking_code}, untuk {tanggal(when)} pukul {when:%H.%M} {zone_label()} di "
        f"{clarification.place}, dibatalkan.",
        "",
        "Anda tidak perlu datang pada jadwal tersebut. Bila klarifikasi dijadwalkan ulang, Anda akan "
        "menerima undangan baru dengan jadwal yang baru.",
        "",
        tracking_where(case),
        "Simpan kode ini dan jangan berikan kepada orang lain.",
        "",
        office_signature(case),
    ]
    return subject, "\n".join(lines)


def invitation_message(
    case: Case, clarification: Clarification, *, status_now: str = "", merged: bool = False
) -> tuple[str, str]:
    """Subject and body, in Indonesian, inviting the pelapor of ``case`` to the clarification of
    ``clarification`` (``workflow.clarification_schedule``): the letter's number, day, hour and
    place, what to bring (as the letter asks, ``documents.invitation_docx``), and that the signed
    letter itself comes on paper. Not the case's title nor who else is invited: the title may
    name the terlapor, and the pelapor is told only of their own invitation.

    ``status_now``: the status the same step moved the case to (the first invitation moves it
    to klarifikasi), told here instead of in a second e-mail at the same moment; ``merged``:
    ``case`` was merged into the case invited for, whose status that is (as ``status_message``
    says it)."""
    subject = _invitation_subject(case)
    lines = [
        "Yth. Pelapor,",
        "",
        f"{office_name(case)} mengundang Anda untuk memberikan keterangan (klarifikasi) tentang "
        f"laporan Anda dengan kode pelacakan {case.tracking_code}, pada:",
        "",
        _invitation_number_line(clarification),
        f"Hari/tanggal: {hari_tanggal(clarification.scheduled_at)}",
        f"Pukul: {pukul(clarification.scheduled_at)}",
        f"Tempat: {clarification.place}",
        "",
        "Mohon hadir tepat waktu dengan membawa kartu tanda penduduk elektronik (KTP-el) serta "
        "dokumen dan bukti yang berkaitan dengan laporan Anda.",
        "",
        "Surat undangan resmi yang ditandatangani akan disampaikan kepada Anda dalam bentuk cetak; "
        "surel ini memberitahukan jadwalnya lebih dahulu. Bila Anda berhalangan hadir, mohon "
        "segera menghubungi kantor.",
        "",
    ]
    if status_now:
        # The pelapor is told of every status change (issue 4): in this e-mail, not a second one.
        with translation.override(settings.LANGUAGE_CODE):
            status = str(CaseStatus(status_now).label)
        lines += [
            (
                "Laporan Anda ditangani bersama perkara lain tentang peristiwa yang sama. Status "
                f"perkara gabungan itu kini: {status}."
            )
            if merged
            else f"Status laporan Anda kini: {status}.",
            "",
        ]
    lines += [
        tracking_where(case),
        "Simpan kode ini dan jangan berikan kepada orang lain.",
        "",
        office_signature(case),
    ]
    return subject, "\n".join(lines)


# How the office told a pelapor whose e-mail never reached them: the form's choices, and the words
# the case page says it in ("diberi tahu lewat telepon pada …").
TOLD_HOW_CHOICES = [
    ("telepon", _("By telephone")),
    ("surat", _("By letter")),
    ("kantor", _("They came to the office")),
    ("lainnya", _("Another way")),
]
TOLD_HOW_WORDS = {
    "telepon": _("by telephone"),
    "surat": _("by letter"),
    "kantor": _("at the office"),
    "lainnya": _("another way"),
}
TOLD_NOTE_MAX = 200
NOTHING_TO_RECORD = _(
    "Nothing to record: these e-mails were already marked as told, or are no longer listed as undelivered."
)
TOLD_IN_FUTURE = _("The day the pelapor was told cannot be in the future.")
TOLD_BEFORE_WRITTEN = _(
    "The day the pelapor was told (%(told)s) cannot be before the e-mail it replaces was written "
    "(%(written)s)."
)
TOLD_HOW_UNKNOWN = _("Choose how the pelapor was told.")
TOLD_NOTE_NEEDED = _("Say in the note how the pelapor was told.")


def pelapor_told_otherwise(
    *, case: Case, mail_ids: Collection[int], how: str, told_on: dt.date, note: str, actor: Any
) -> int:
    """Record that the office told the pelapor of ``case`` (or of a laporan merged into it) another
    way of what the e-mails ``mail_ids`` said, which never reached them (refused or given up,
    ``selectors.pelapor_mail_undelivered``): the case page then lists them as told, not as a
    warning, and a message that fails later warns again. Only the roles that see the pelapor's
    contact, in their area (UU 27/2022). Audited with how, the day and how many; the note (it may
    quote a number or an address) only as a digest. Returns how many messages it covers."""
    if not handles_cases(actor) or not in_scope(actor, case):
        raise PermissionDenied
    note = note.strip()
    if how not in TOLD_HOW_WORDS:
        raise ValidationError(TOLD_HOW_UNKNOWN, code="how")
    if how == "lainnya" and not note:
        raise ValidationError(TOLD_NOTE_NEEDED, code="note")
    if told_on > today_local():
        raise ValidationError(TOLD_IN_FUTURE, code="future")
    with transaction.atomic():
        case_of_topic = {pelapor_mail_topic(c.pk): c.pk for c in (case, *cases_merged_into(case))}
        mails = list(
            mail_undelivered(case_of_topic)
            .filter(pk__in=list(mail_ids), told_otherwise_on__isnull=True)
            .select_for_update()
            .only("pk", "created_at", "topic")
        )
        if not mails:
            raise ValidationError(NOTHING_TO_RECORD, code="nothing")
        written = max(local(m.created_at).date() for m in mails)
        if told_on < written:
            raise ValidationError(
                TOLD_BEFORE_WRITTEN,
                code="before_written",
                params={"told": tanggal(told_on), "written": tanggal(written)},
            )
        OutgoingMail.objects.filter(pk__in=[m.pk for m in mails]).update(
            told_otherwise_how=how,
            told_otherwise_on=told_on,
            told_otherwise_note=note[:TOLD_NOTE_MAX],
            told_otherwise_by=actor,
            told_otherwise_at=timezone.now(),
        )
        audit_record(
            action="case.pelapor_told_otherwise",
            obj=case,
            actor=actor,
            after={
                "how": how,
                "told_on": told_on.isoformat(),
                "messages": len(mails),
                # Whose pelapor, by case: a laporan merged into this one has its own.
                "cases": sorted({case_of_topic[m.topic] for m in mails}),
                "note": text_digest(note) if note else "",
            },
        )
    return len(mails)
