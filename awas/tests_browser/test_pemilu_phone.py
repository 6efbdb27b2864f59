"""A Pemilu laporan, filed and handled on phones in an office that handles both elections.

``AWAS_ELECTION_TYPE = "pemilu,pilkada"``: the public form asks which election the report is about.
The pelapor chooses Pemilu and says the violation became known 8 days ago: late under the Pilkada's 7
calendar days (UU 10/2016 Pasal 134 ayat (4)), in time under the Pemilu's 7 hari kerja (UU 7/2017
Pasal 454 ayat (6)), for 8 days always hold a Saturday and a Sunday. They give an e-mail address.

A staf penanganan pelanggaran, on a phone too, signs in with password and TOTP, reaches the case
through the header's "Menu", registers it (the number in the office's format, the decision due in
hari kerja from registration, Pasal 454 ayat (7)), invites the pelapor to a clarification (the
pelapor gets the invitation by e-mail), withdraws it with a reason (they are told) and invites
again, records the berita acara, the kajian and the plenary's "Tindak pidana Pemilu", and refers it
to Sentra Gakkumdu. The public's tracking page shows each status; the account folds under "Akun".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import dateformat, timezone, translation

from awas.cases.models import Case, CaseEvidence, CaseStatus, Clarification, ReferralBody
from awas.cases.seed import referral_bodies_seed_into
from awas.cases.services.intake import office_today
from awas.cases.tests.test_intake import png_bytes
from awas.conftest import GONDANGLEGI, KAB_MALANG, PUTAT_KIDUL, TEST_PASSWORD
from awas.core.models import Holiday
from awas.core.roles import Role
from awas.tests_browser.support import screenshot, sign_in_enrolled
from awas.tests_browser.test_cases_phone import (
    PHONE,
    no_sideways_scroll,
    public_status,
    staff_step,
    status_label,
)

pytestmark = pytest.mark.browser

PEMILU = "Pemilu (Presiden dan Wakil Presiden, DPR, DPD, DPRD)"
EMAIL = "siti@example.id"


def working_days_between(start: dt.date, end: dt.date, holidays: set[dt.date]) -> int:
    """Hari kerja after ``start`` up to and including ``end``: Monday to Friday, not a holiday."""
    days = (start + dt.timedelta(days=n) for n in range(1, (end - start).days + 1))
    return sum(1 for day in days if day.weekday() < 5 and day not in holidays)


def seventh_working_day(start: dt.date, holidays: set[dt.date]) -> dt.date:
    day, counted = start, 0
    while counted < 7:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            counted += 1
    return day


def tanggal(day: dt.date) -> str:
    with translation.override("id"):
        return dateformat.format(day, "j F Y")


def file_pemilu_laporan(phone: Any, base_url: str, known: dt.date) -> str:
    phone.goto(f"{base_url}/lapor/laporan/")
    choice = phone.get_by_test_id("election-choice")
    assert "Tentang pemilihan yang mana?" in choice.inner_text()
    phone.fill("#id_reporter_name", "Siti Rahmawati")
    phone.fill("#id_birth_place", "Malang")
    phone.fill("#id_birth_date", "1990-05-17")
    phone.check("#id_sex_1")  # Perempuan
    phone.fill("#id_occupation", "Guru")
    phone.fill("#id_address", "Jl. Melati 12, Gondanglegi")
    phone.fill("#id_phone", "0812 3456 7890")
    phone.fill("#id_email", EMAIL)
    phone.fill("#id_terlapor_name", "Caleg DPRD Kabupaten Nomor Urut 3")
    phone.fill("#id_terlapor_position", "Calon anggota DPRD Kabupaten Malang")
    phone.fill("#id_title", "Pembagian sembako dengan stiker caleg di balai desa")
    phone.select_option("#id_kecamatan", GONDANGLEGI)
    phone.select_option("#id_desa", PUTAT_KIDUL)
    phone.fill("#id_event_place", "Balai Desa Putat Kidul")
    phone.fill("#id_event_date", known.isoformat())
    phone.fill("#id_known_date", known.isoformat())
    phone.get_by_label(PEMILU).check()
    known_help = phone.locator("#id_known_date_helptext").inner_text()
    assert "7 hari kerja sejak tanggal ini untuk Pemilu" in known_help, known_help
    # 8 days ago is within the Pemilu's 7 hari kerja: no warning of a late report.
    assert phone.locator("#late-live").is_hidden()
    phone.fill("#id_chronology", "Pukul 16.00 tim caleg membagikan sembako berstiker nomor urut 3.")
    phone.fill("#id_witness1_name", "Joko")
    phone.fill("#id_witness1_phone", "0813 1111 2222")
    phone.set_input_files(
        "#id_bukti",
        files=[{"name": "foto-sembako.png", "mimeType": "image/png", "buffer": png_bytes(91, size=24)}],
    )
    no_sideways_scroll(phone)
    screenshot(phone, "pemilu-phone-lapor-filled")
    phone.get_by_test_id("send").click()
    phone.wait_for_url(re.compile(r"/lapor/terima/AWS-[A-Z0-9-]+/$"))
    code = phone.get_by_test_id("tracking-code").inner_text().strip()
    assert re.fullmatch(r"AWS-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    no_sideways_scroll(phone)
    screenshot(phone, "pemilu-phone-lapor-receipt")
    return code


def subjects(mailoutbox: list[Any]) -> list[str]:
    return [m.subject for m in mailoutbox if EMAIL in m.to]


def test_a_pemilu_laporan_filed_on_a_phone_is_handled_in_working_days(
    live_server: Any,
    malang: Any,
    make_user: Any,
    settings: Any,
    mailoutbox: list[Any],
    new_page: Callable[..., Any],
) -> None:
    settings.AWAS_ELECTION_TYPE = "pemilu,pilkada"
    if not ReferralBody.objects.filter(code="gakkumdu-kab-malang").exists():  # flushed by a live server
        referral_bodies_seed_into(ReferralBody)
    base_url = live_server.url
    today = office_today()  # WIB
    holidays = set(Holiday.objects.values_list("date", flat=True))
    known = today - dt.timedelta(days=8)
    # What the test rests on: late under 7 calendar days, in time under 7 hari kerja.
    assert (today - known).days > 7 and working_days_between(known, today, holidays) <= 7

    phone = new_page(**PHONE)
    code = file_pemilu_laporan(phone, base_url, known)
    case = Case.objects.get(tracking_code=code)
    assert case.election_type == "pemilu"
    assert CaseEvidence.objects.get(case=case).name == "foto-sembako.png"
    assert public_status(phone, base_url, code) == status_label(CaseStatus.RECEIVED)
    screenshot(phone, "pemilu-phone-lacak-diterima")

    # Staff on a phone: the case list through the header's "Menu".
    staff = new_page(**PHONE)
    staff.base_url = base_url
    user = make_user(Role.STAF_PP, KAB_MALANG, username="staf.pp")
    sign_in_enrolled(staff, base_url, user, TEST_PASSWORD)
    staff.locator("#menu-fold > summary").click()
    staff.locator('nav.menu a[href="/perkara/"]').click()
    staff.wait_for_url(f"{base_url}/perkara/")
    staff.locator(f'main a[href="/perkara/{case.pk}/"]').first.click()
    staff.wait_for_url(f"{base_url}/perkara/{case.pk}/")
    deadlines = staff.get_by_test_id("deadlines")
    filing = deadlines.locator("tr", has_text="Pasal 454 ayat (6)")
    assert "disampaikan tepat waktu" in filing.inner_text(), filing.inner_text()
    no_sideways_scroll(staff)
    screenshot(staff, "pemilu-staff-case-received")

    # 1. Registered: the number in the office's format, the decision due 7 hari kerja after the
    # day of registration (UU 7/2017 Pasal 454 ayat (7)).
    def tick_all(form: Any) -> None:
        for box in form.locator("input[type=checkbox]").all():
            box.check()

    staff_step(staff, case, "syarat", tick_all)
    case.refresh_from_db()
    roman = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")[today.month - 1]
    assert re.fullmatch(rf"\d{{3}}/LP/PL/Kab/35\.07/{roman}/{today.year}", case.registration_number or "")
    assert case.registration_number in staff.locator("main").inner_text()
    decision = staff.get_by_test_id("deadlines").locator("tr", has_text="Pasal 454 ayat (7)")
    assert tanggal(seventh_working_day(today, holidays)) in decision.inner_text(), decision.inner_text()
    assert staff.get_by_test_id("decision-provisional").count() == 0
    review = staff.get_by_test_id("deadlines").locator("tr", has_text="Perbawaslu 7/2022 Pasal 15 ayat (1)")
    assert f"selesai tepat waktu ({tanggal(today)})" in review.inner_text(), review.inner_text()
    registered = mailoutbox[-1]
    assert registered.subject == f"Status laporan {code}: Diregistrasi"
    assert case.registration_number in registered.body
    assert (
        tanggal(seventh_working_day(today, holidays)) in registered.body and "7 hari kerja" in registered.body
    )
    no_sideways_scroll(staff)
    screenshot(staff, "pemilu-staff-case-registered")
    assert public_status(phone, base_url, code) == status_label(CaseStatus.REGISTERED)

    # 2. An invitation for the wrong day: e-mailed, withdrawn (the pelapor is told), invited again.
    now = timezone.localtime().replace(second=0, microsecond=0)  # WIB, as staff type it
    wrong_day = now + dt.timedelta(days=2)
    right_time = now + dt.timedelta(hours=3)  # an invitation is e-mailed at least 2 hours ahead

    def invite(when: dt.datetime) -> Callable[[Any], None]:
        def fill(form: Any) -> None:
            form.locator("[name=invitee_name]").fill("Siti Rahmawati")
            form.locator("[name=invitee_role]").select_option("pelapor")
            form.locator("[name=scheduled_at]").fill(when.strftime("%Y-%m-%dT%H:%M"))
            form.locator("[name=place]").fill("Kantor Bawaslu Kabupaten Malang")

        return fill

    invitation = f"Undangan klarifikasi: laporan {code}"
    withdrawn = f"Undangan klarifikasi dibatalkan: laporan {code}"
    staff_step(staff, case, "klarifikasi", invite(wrong_day))
    assert subjects(mailoutbox)[-1] == invitation
    first_number = Clarification.objects.get(case=case).letter_number
    assert first_number in mailoutbox[-1].body
    assert public_status(phone, base_url, code) == status_label(CaseStatus.CLARIFICATION)

    def withdraw(form: Any) -> None:
        form.locator("[name=reason]").fill("Tanggal undangan salah ketik.")

    staff_step(staff, case, "klarifikasi/batalkan", withdraw)
    assert subjects(mailoutbox)[-1] == withdrawn
    assert first_number in mailoutbox[-1].body and "Anda tidak perlu datang" in mailoutbox[-1].body
    assert "salah ketik" not in mailoutbox[-1].body  # the reason is for the file
    told = staff.get_by_test_id("withdrawn-invitations")
    assert first_number in told.inner_text() and told.get_by_test_id("withdrawn-told").count() == 1
    staff_step(staff, case, "klarifikasi", invite(right_time))
    assert subjects(mailoutbox)[-3:] == [invitation, withdrawn, invitation]
    second = Clarification.objects.get(case=case)
    assert second.letter_number != first_number and second.letter_number in mailoutbox[-1].body
    screenshot(staff, "pemilu-staff-invited-again")

    # The hour comes (the live server keeps the real clock): the berita acara is made when it was
    # held, not before the day it was invited for.
    Clarification.objects.filter(pk=second.pk).update(scheduled_at=now)

    def berita_acara(form: Any) -> None:
        form.locator("[name=held_at]").fill(now.strftime("%Y-%m-%dT%H:%M"))
        form.locator("[name=statement]").fill("Pelapor menerangkan kejadian sesuai laporan.")

    staff_step(staff, case, "klarifikasi/berita-acara", berita_acara)
    second.refresh_from_db()
    assert second.held_at is not None
    assert public_status(phone, base_url, code) == status_label(CaseStatus.CLARIFICATION)
    screenshot(phone, "pemilu-phone-lacak-klarifikasi")

    # 3. Kajian, then the plenary: "Tindak pidana Pemilu", in the words of UU 7/2017.
    def kajian(form: Any) -> None:
        form.locator("[name=facts]").fill("Sembako berstiker caleg dibagikan kepada warga.")
        form.locator("[name=analysis]").fill("Memberikan materi lainnya untuk memengaruhi pemilih.")
        form.locator("[name=conclusion]").fill("Dugaan tindak pidana Pemilu, UU 7/2017 Pasal 523.")

    staff_step(staff, case, "kajian", kajian)
    assert public_status(phone, base_url, code) == status_label(CaseStatus.STUDY)

    def decide(form: Any) -> None:
        outcome = form.locator("[name=outcome]")
        assert "Tindak pidana Pemilu" in outcome.inner_text()
        assert "Tindak pidana pemilihan" not in outcome.inner_text()
        outcome.select_option(label="Tindak pidana Pemilu")
        form.locator("[name=reasons]").fill("Memenuhi unsur Pasal 523 ayat (1) UU 7/2017.")
        form.locator("[name=plenary_date]").fill(office_today().isoformat())

    staff_step(staff, case, "putusan", decide)
    assert public_status(phone, base_url, code) == status_label(CaseStatus.DECIDED)
    assert "Tindak pidana Pemilu" in phone.get_by_test_id("history").inner_text()
    screenshot(phone, "pemilu-phone-lacak-diputus")

    # 4. Referred to Sentra Gakkumdu, the body the form suggests for it.
    gakkumdu = ReferralBody.objects.get(code="gakkumdu-kab-malang")

    def refer(form: Any) -> None:
        assert form.locator("[name=body]").input_value() == str(gakkumdu.pk)

    staff_step(staff, case, "penerusan", refer)
    assert gakkumdu.name in staff.get_by_test_id("referrals").inner_text()
    no_sideways_scroll(staff)
    screenshot(staff, "pemilu-staff-case-referred")
    assert public_status(phone, base_url, code) == status_label(CaseStatus.REFERRED)
    assert "Gakkumdu" in phone.get_by_test_id("history").inner_text()
    for private in ("Siti", "Joko", "Caleg DPRD", "stiker", "foto-sembako.png", "salah ketik"):
        assert private not in phone.content(), private
    no_sideways_scroll(phone)
    screenshot(phone, "pemilu-phone-lacak-diteruskan")

    # The account folds under "Akun" on the phone: signing out is there.
    staff.locator("#account-fold > summary").click()
    staff.locator("header .account").get_by_role("button", name="Keluar").click()
    staff.wait_for_url(re.compile(r"/masuk/"))
