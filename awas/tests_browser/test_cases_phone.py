"""A member of the public files a laporan with a photo on a phone, and follows it while the office handles it.

Phone: a 390-pixel-wide touch screen in Indonesian. Office: a staf penanganan pelanggaran who logs
in with password and TOTP, then registers the laporan (requirements check), invites to and records
a clarification, writes the kajian, records the plenary's decision and refers it to BKN, all on the
staff pages. After each step the public tracking page shows the new status.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone, translation

from awas.cases.models import Case, CaseEvidence, CaseStatus, ReferralBody
from awas.cases.seed import referral_bodies_seed_into
from awas.cases.services.intake import office_today
from awas.cases.tests.test_intake import png_bytes
from awas.conftest import GONDANGLEGI, KAB_MALANG, PUTAT_KIDUL, TEST_PASSWORD
from awas.core.roles import Role
from awas.tests_browser.support import screenshot, sign_in_enrolled

pytestmark = pytest.mark.browser

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "id-ID",
}


def status_label(status: str) -> str:
    with translation.override("id"):
        return str(CaseStatus(status).label)


def no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width} px wide on a 390 px phone"


def file_laporan(phone: Any, base_url: str) -> str:
    """Fill the laporan on the phone, as a person would; return the tracking code shown."""
    phone.goto(f"{base_url}/lapor/")
    assert phone.locator("html").get_attribute("lang") == "id"
    no_sideways_scroll(phone)
    screenshot(phone, "phone-lapor-landing")
    phone.get_by_test_id("choose-laporan").click()
    phone.wait_for_url(re.compile(r"/lapor/laporan/$"))

    today = office_today()
    phone.fill("#id_reporter_name", "Siti Rahmawati")
    phone.fill("#id_birth_place", "Malang")
    phone.fill("#id_birth_date", "1990-05-17")
    phone.check("#id_sex_1")  # Perempuan
    phone.fill("#id_occupation", "Guru")
    phone.fill("#id_address", "Jl. Melati 12, Gondanglegi")
    phone.fill("#id_phone", "0812 3456 7890")
    phone.fill("#id_email", "siti@example.id")
    phone.fill("#id_terlapor_name", "Kepala Desa Putat Kidul")
    phone.fill("#id_terlapor_position", "ASN, kepala desa")
    phone.fill("#id_title", "Pembagian amplop kepada warga di balai desa")
    phone.select_option("#id_kecamatan", GONDANGLEGI)
    phone.select_option("#id_desa", PUTAT_KIDUL)
    phone.fill("#id_event_place", "Balai Desa Putat Kidul")
    phone.fill("#id_event_date", (today - dt.timedelta(days=2)).isoformat())

    # The 7-day warning appears live while the date is typed (the page works without it, too).
    live = phone.locator("#late-live")
    phone.fill("#id_known_date", (today - dt.timedelta(days=12)).isoformat())
    live.wait_for(state="visible")
    assert "Pasal 134 ayat (4)" in live.inner_text()
    screenshot(phone, "phone-lapor-7-day-warning")
    phone.fill("#id_known_date", (today - dt.timedelta(days=1)).isoformat())
    live.wait_for(state="hidden")

    phone.fill("#id_chronology", "Pukul 19.00 kepala desa membagikan amplop berisi uang kepada warga.")
    phone.fill("#id_witness1_name", "Joko")
    phone.fill("#id_witness1_phone", "0813 1111 2222")
    phone.set_input_files(
        "#id_bukti",
        files=[{"name": "foto-amplop.png", "mimeType": "image/png", "buffer": png_bytes(77, size=24)}],
    )
    no_sideways_scroll(phone)
    screenshot(phone, "phone-lapor-form-filled")
    phone.get_by_test_id("send").click()
    phone.wait_for_url(re.compile(r"/lapor/terima/AWS-[A-Z0-9-]+/$"))
    code = phone.get_by_test_id("tracking-code").inner_text().strip()
    assert re.fullmatch(r"AWS-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    no_sideways_scroll(phone)
    screenshot(phone, "phone-lapor-receipt")
    return code


def public_status(phone: Any, base_url: str, code: str) -> str:
    phone.goto(f"{base_url}/lapor/lacak/{code}/")
    return str(phone.get_by_test_id("current-status").inner_text().strip())


def staff_step(staff: Any, case: Case, action: str, fill: Callable[[Any], None]) -> None:
    """Open the step's <details> on the case page, fill its form and send it."""
    staff.goto(f"{staff.base_url}/perkara/{case.pk}/")
    # A step's form is sent to its address marked "#refused" (where a refused one comes back).
    url = f"/perkara/{case.pk}/{action}/"
    form = staff.locator(f'form[action="{url}"], form[action="{url}#refused"]')
    form.locator("xpath=ancestor::details[1]/summary").click()
    fill(form)
    form.locator("button[type=submit]").click()
    staff.wait_for_load_state()


def test_a_laporan_filed_on_a_phone_is_followed_through_handling(
    live_server: Any, malang: Any, make_user: Any, new_page: Callable[..., Any]
) -> None:
    if not ReferralBody.objects.filter(code="bkn").exists():  # flushed by an earlier live-server test
        referral_bodies_seed_into(ReferralBody)
    base_url = live_server.url
    phone = new_page(**PHONE)
    code = file_laporan(phone, base_url)

    case = Case.objects.get(tracking_code=code)
    assert CaseEvidence.objects.get(case=case).name == "foto-amplop.png"
    assert public_status(phone, base_url, code) == status_label(CaseStatus.RECEIVED)
    history = phone.get_by_test_id("history")
    assert (
        "Laporan Anda telah diterima. Syarat formal dan materielnya akan diperiksa." in history.inner_text()
    )
    assert "Siti" not in phone.content() and "Kepala Desa Putat Kidul" not in phone.content()
    screenshot(phone, "phone-lacak-diterima")

    staff = new_page(locale="id-ID")
    staff.base_url = base_url
    user = make_user(Role.STAF_PP, KAB_MALANG, username="staf.pp")
    sign_in_enrolled(staff, base_url, user, TEST_PASSWORD)

    # 1. Requirements complete: the laporan is registered.
    def tick_all(form: Any) -> None:
        for box in form.locator("input[type=checkbox]").all():
            box.check()

    staff_step(staff, case, "syarat", tick_all)
    screenshot(staff, "staff-case-registered")
    assert public_status(phone, base_url, code) == status_label(CaseStatus.REGISTERED)

    # 2. Clarification: the invitation, then its berita acara.
    now = timezone.localtime().replace(second=0, microsecond=0)  # WIB, as staff type it

    def invite(form: Any) -> None:
        form.locator("[name=invitee_name]").fill("Siti Rahmawati")
        form.locator("[name=invitee_role]").select_option("pelapor")
        # The laporan came in minutes ago: the clarification cannot be set before that.
        form.locator("[name=scheduled_at]").fill(now.strftime("%Y-%m-%dT%H:%M"))
        form.locator("[name=place]").fill("Kantor Bawaslu Kabupaten Malang")

    staff_step(staff, case, "klarifikasi", invite)
    assert public_status(phone, base_url, code) == status_label(CaseStatus.CLARIFICATION)

    def berita_acara(form: Any) -> None:
        options = form.locator("[name=clarification] option").all()
        form.locator("[name=clarification]").select_option(
            next(o.get_attribute("value") for o in options if o.get_attribute("value"))
        )
        form.locator("[name=held_at]").fill(now.strftime("%Y-%m-%dT%H:%M"))
        form.locator("[name=statement]").fill("Pelapor menerangkan kejadian sesuai laporan.")

    staff_step(staff, case, "klarifikasi/berita-acara", berita_acara)
    case.refresh_from_db()
    assert case.clarifications.get().held_at is not None
    screenshot(phone, "phone-lacak-klarifikasi")

    # 3. Kajian, then the plenary's decision.
    def kajian(form: Any) -> None:
        form.locator("[name=facts]").fill("Amplop dibagikan kepada warga.")
        form.locator("[name=analysis]").fill("Kepala desa berstatus ASN dan terlibat kampanye.")
        form.locator("[name=conclusion]").fill("Pelanggaran netralitas ASN.")

    staff_step(staff, case, "kajian", kajian)
    assert public_status(phone, base_url, code) == status_label(CaseStatus.STUDY)

    def decide(form: Any) -> None:
        form.locator("[name=outcome]").select_option("lainnya")
        form.locator("[name=reasons]").fill("Terbukti melanggar netralitas ASN.")
        form.locator("[name=plenary_date]").fill(office_today().isoformat())

    staff_step(staff, case, "putusan", decide)
    assert public_status(phone, base_url, code) == status_label(CaseStatus.DECIDED)
    screenshot(phone, "phone-lacak-diputus")

    # 4. Referral to BKN.
    bkn = ReferralBody.objects.get(code="bkn")

    def refer(form: Any) -> None:
        form.locator("[name=body]").select_option(str(bkn.pk))

    staff_step(staff, case, "penerusan", refer)
    screenshot(staff, "staff-case-referred-bkn")
    assert public_status(phone, base_url, code) == status_label(CaseStatus.REFERRED)
    text = phone.get_by_test_id("history").inner_text()
    assert "BKN" in text  # the public note names the body, never a person
    assert (
        phone.locator("ol.history li").count() == 6
    )  # diterima, registrasi, klarifikasi, kajian, diputus, diteruskan
    for private in ("Siti", "Joko", "Kepala Desa Putat Kidul", "amplop berisi uang", "foto-amplop.png"):
        assert private not in phone.content(), private
    no_sideways_scroll(phone)
    screenshot(phone, "phone-lacak-diteruskan-bkn")


def test_with_both_elections_the_live_warning_follows_the_one_chosen(
    live_server: Any, malang: Any, settings: Any, new_page: Callable[..., Any]
) -> None:
    """Known 8 days ago: late for a Pilkada (7 days), in time for a Pemilu (8 days hold at most 6
    hari kerja). The pelapor's choice switches the warning as it is made; none chosen, none shown."""
    settings.AWAS_ELECTION_TYPE = "pemilu,pilkada"
    phone = new_page(**PHONE)
    phone.goto(f"{live_server.url}/lapor/laporan/")
    choice = phone.get_by_test_id("election-choice")
    assert "Pemilihan kepala daerah (Gubernur, Bupati/Wali Kota)" in choice.inner_text()
    live = phone.locator("#late-live")
    phone.fill("#id_known_date", (office_today() - dt.timedelta(days=8)).isoformat())
    assert live.is_hidden()
    phone.get_by_label("Pemilihan kepala daerah (Gubernur, Bupati/Wali Kota)").check()
    live.wait_for(state="visible")
    assert "Pasal 134 ayat (4)" in live.inner_text() and "hari kerja" not in live.inner_text()
    no_sideways_scroll(phone)
    screenshot(phone, "phone-lapor-both-elections-warning")
    phone.get_by_label("Pemilu (Presiden dan Wakil Presiden, DPR, DPD, DPRD)").check()
    live.wait_for(state="hidden")
