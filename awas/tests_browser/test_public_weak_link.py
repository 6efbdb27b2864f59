"""Filing from a phone on a weak connection: the upload shows its progress; a dropped connection, a
lost answer or a reload loses nothing of what was typed and never files the report twice."""

from __future__ import annotations

import datetime as dt
import random
import re
import struct
import zlib
from typing import Any

import pytest

from awas.cases.models import Case, CaseEvidence
from awas.cases.services.intake import office_today
from awas.cases.views_public import KEPT_HOLDER_COOKIE, filing_key_of
from awas.conftest import GONDANGLEGI, PUTAT_KIDUL
from awas.tests_browser.support import screenshot
from awas.tests_browser.test_cases_phone import PHONE

pytestmark = pytest.mark.browser

RECEIPT_URL = re.compile(r"/lapor/terima/AWS-[A-Z0-9-]+/$")


def noisy_png(seed: int, side: int) -> bytes:
    """A real PNG of random pixels: it does not compress, so it is about 3 x side² bytes."""
    rng = random.Random(seed)  # noqa: S311 (test pixels, not secrets)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + rng.randbytes(side * 3) for _ in range(side))
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def stored_key(phone: Any, key: str) -> str:
    """The form's one-time key as the filing from this browser stores it (bound to its cookie)."""
    (holder,) = [c["value"] for c in phone.context.cookies() if c["name"] == KEPT_HOLDER_COOKIE]
    return filing_key_of(holder, key)


def open_form(phone: Any, base_url: str) -> None:
    phone.goto(f"{base_url}/lapor/laporan/")
    phone.get_by_test_id("laporan-form").wait_for()


def type_laporan(phone: Any, title: str = "Amplop dibagikan di balai desa") -> None:
    today = office_today()
    phone.fill("#id_reporter_name", "Siti Rahmawati")
    phone.check("#id_sex_1")
    phone.fill("#id_address", "Jl. Melati 12, Gondanglegi")
    phone.fill("#id_phone", "0812 3456 7890")
    phone.fill("#id_terlapor_name", "Kepala Desa Putat Kidul")
    phone.fill("#id_title", title)
    phone.select_option("#id_kecamatan", GONDANGLEGI)
    phone.select_option("#id_desa", PUTAT_KIDUL)
    phone.fill("#id_event_date", (today - dt.timedelta(days=2)).isoformat())
    phone.fill("#id_known_date", (today - dt.timedelta(days=1)).isoformat())
    phone.fill("#id_chronology", "Pukul 19.00 kepala desa membagikan amplop berisi uang kepada warga.")


def attach(phone: Any, content: bytes, name: str = "foto-amplop.png") -> None:
    phone.set_input_files("#id_bukti", files=[{"name": name, "mimeType": "image/png", "buffer": content}])


def still_typed(phone: Any, title: str) -> None:
    assert phone.input_value("#id_reporter_name") == "Siti Rahmawati"
    assert phone.input_value("#id_title") == title
    assert phone.input_value("#id_desa") == PUTAT_KIDUL
    assert phone.is_checked("#id_sex_1")


def on_post(phone: Any, handler: Any) -> None:
    """Route the next POSTs of the laporan form through ``handler`` (other requests pass)."""

    def route(route: Any) -> None:
        if route.request.method == "POST":
            handler(route)
        else:
            route.continue_()

    phone.route(re.compile(r"/lapor/laporan/$"), route)


def test_a_dropped_connection_keeps_everything_and_send_again_files_it_once(
    live_server: Any, malang: Any, new_page: Any
) -> None:
    phone = new_page(**PHONE)
    open_form(phone, live_server.url)
    title = "Amplop dibagikan saat sinyal lemah"
    type_laporan(phone, title)
    attach(phone, noisy_png(1, 30))
    on_post(phone, lambda route: route.abort("internetdisconnected"))
    phone.get_by_test_id("send").click()

    not_sent = phone.locator("[data-testid=not-sent]:visible")
    not_sent.wait_for()
    assert "Belum terkirim" in not_sent.inner_text()
    screenshot(phone, "phone-lapor-not-sent")
    assert Case.objects.count() == 0
    still_typed(phone, title)
    assert phone.eval_on_selector("#id_bukti", "input => input.files.length") == 1
    # The one thing to press now is in sight (the grown message had pushed it below the screen's
    # edge) and big enough for a finger (it was the browser's 20 px default).
    again = phone.get_by_test_id("send-again").bounding_box()
    assert again is not None and again["height"] >= 44
    assert again["y"] >= 0 and again["y"] + again["height"] <= phone.evaluate("innerHeight")

    phone.unroute(re.compile(r"/lapor/laporan/$"))
    phone.get_by_test_id("send-again").click()
    phone.wait_for_url(RECEIPT_URL)
    code = phone.get_by_test_id("tracking-code").inner_text().strip()
    case = Case.objects.get()
    assert case.tracking_code == code and case.title == title
    assert CaseEvidence.objects.get(case=case).name == "foto-amplop.png"
    assert phone.get_by_test_id("receipt-title").inner_text() == title  # the browser that filed it


def test_an_answer_lost_on_the_way_back_does_not_file_the_report_twice(
    live_server: Any, malang: Any, new_page: Any
) -> None:
    phone = new_page(**PHONE)
    open_form(phone, live_server.url)
    type_laporan(phone)
    attach(phone, noisy_png(2, 30))

    def arrives_but_the_answer_is_lost(route: Any) -> None:
        route.fetch()  # the office stores it ...
        route.abort("connectionreset")  # ... and the phone never hears back

    on_post(phone, arrives_but_the_answer_is_lost)
    phone.get_by_test_id("send").click()
    phone.locator("[data-testid=not-sent]:visible").wait_for()
    first = Case.objects.get()

    phone.unroute(re.compile(r"/lapor/laporan/$"))
    phone.get_by_test_id("send-again").click()
    phone.wait_for_url(RECEIPT_URL)
    assert phone.get_by_test_id("tracking-code").inner_text().strip() == first.tracking_code
    assert "sudah dikirim sebelumnya" in phone.content()
    assert Case.objects.count() == 1


def test_a_reload_gives_back_what_was_typed_and_its_one_time_key(
    live_server: Any, malang: Any, new_page: Any
) -> None:
    phone = new_page(**PHONE)
    open_form(phone, live_server.url)
    phone.reload()  # nothing typed yet (the preset nationality is not typing): no notice
    assert not phone.get_by_test_id("draft-restored").is_visible()
    key = phone.input_value("[name=idempotency_key]")
    title = "Ketik dulu, kirim nanti"
    type_laporan(phone, title)
    phone.reload()

    restored = phone.get_by_test_id("draft-restored")
    restored.wait_for()
    assert "dilampirkan lagi" in restored.inner_text()
    still_typed(phone, title)
    assert phone.input_value("[name=idempotency_key]") == key  # a resend after a lost answer is one report
    screenshot(phone, "phone-lapor-draft-restored")

    attach(phone, noisy_png(3, 20))
    phone.get_by_test_id("send").click()
    phone.wait_for_url(RECEIPT_URL)
    assert Case.objects.get().idempotency_key == stored_key(phone, key)

    # Filed: the next form starts empty, with a new key.
    open_form(phone, live_server.url)
    assert phone.input_value("#id_title") == ""
    assert phone.input_value("[name=idempotency_key]") != key
    assert not phone.get_by_test_id("draft-restored").is_visible()

    # "Empty the form" throws a draft away.
    type_laporan(phone, "Tidak jadi")
    phone.reload()
    phone.get_by_test_id("draft-restored").wait_for()
    phone.get_by_test_id("draft-restored").get_by_role("button").click()
    phone.wait_for_load_state()
    assert phone.input_value("#id_title") == ""
    assert not phone.get_by_test_id("draft-restored").is_visible()


def test_a_slow_upload_shows_its_progress_and_corrections_keep_the_file(
    live_server: Any, malang: Any, new_page: Any
) -> None:
    phone = new_page(**PHONE)
    open_form(phone, live_server.url)
    type_laporan(phone)
    phone.fill("#id_title", "")  # forgotten: the office sends the form back
    attach(phone, noisy_png(4, 300))  # about 270 KB
    cdp = phone.context.new_cdp_session(phone)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 100, "downloadThroughput": 400_000, "uploadThroughput": 60_000},
    )
    phone.get_by_test_id("send").click()
    progress = phone.get_by_test_id("send-progress")
    progress.wait_for()
    seen: set[int] = set()
    for _ in range(60):
        value = int(progress.evaluate("bar => bar.value"))
        seen.add(value)
        if 0 < value < 100:
            break
        phone.wait_for_timeout(100)
    assert any(0 < value < 100 for value in seen), f"no progress between 0 and 100: {sorted(seen)}"
    screenshot(phone, "phone-lapor-sending")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
    )

    errors = phone.get_by_test_id("form-errors")
    errors.wait_for()
    assert Case.objects.count() == 0
    # The page was scrolled down to the send button; what to correct is brought into view.
    top = errors.evaluate("el => el.getBoundingClientRect().top")
    assert 0 <= top < phone.evaluate("innerHeight")
    assert phone.evaluate("document.activeElement.id") == "errors"
    # The field to correct is marked where it is, not only by the line of red text above it.
    marked = "el => getComputedStyle(el).borderTopColor"
    assert phone.eval_on_selector("#id_title", marked) != phone.eval_on_selector("#id_address", marked)
    assert phone.get_by_test_id("kept-evidence").inner_text().count("foto-amplop.png") == 1
    phone.fill("#id_title", "Judul yang terlupa")
    phone.get_by_test_id("send").click()  # the page written from the answer sends as well
    phone.wait_for_url(RECEIPT_URL)
    case = Case.objects.get()
    assert case.title == "Judul yang terlupa"
    assert CaseEvidence.objects.get(case=case).name == "foto-amplop.png"


def send_and_lose_the_receipt(phone: Any) -> None:
    """The laporan arrives but the connection drops before its receipt page loads."""
    lost: list[str] = []

    def receipt_lost(route: Any) -> None:
        lost.append(route.request.url)
        route.abort("internetdisconnected")

    phone.route(RECEIPT_URL, receipt_lost)
    phone.get_by_test_id("send").click()
    for _ in range(100):
        if lost:
            break
        phone.wait_for_timeout(100)
    assert lost, "the receipt page was never asked for"
    phone.unroute(RECEIPT_URL)


def test_a_receipt_lost_on_the_way_is_found_again_from_the_form(
    live_server: Any, malang: Any, new_page: Any
) -> None:
    phone = new_page(**PHONE)
    open_form(phone, live_server.url)
    type_laporan(phone, "Terkirim, tanda terima hilang")
    attach(phone, noisy_png(5, 20))
    send_and_lose_the_receipt(phone)
    case = Case.objects.get()

    open_form(phone, live_server.url)  # back to the form, the code never seen
    filed = phone.get_by_test_id("draft-filed")
    filed.wait_for()
    assert "sudah dikirim" in filed.inner_text()
    assert (
        phone.get_by_test_id("draft-filed-receipt")
        .get_attribute("href")
        .endswith(f"/lapor/terima/{case.tracking_code}/")
    )
    # Not sure it went, the filer attaches the photo again and sends: the same report, its receipt.
    attach(phone, noisy_png(5, 20))
    assert filed.is_visible()
    phone.get_by_test_id("send").click()
    phone.wait_for_url(RECEIPT_URL)
    assert phone.get_by_test_id("tracking-code").inner_text().strip() == case.tracking_code

    open_form(phone, live_server.url)  # the receipt was seen: the next form is a new one
    assert phone.input_value("#id_title") == ""
    assert not phone.get_by_test_id("draft-filed").is_visible()
    assert Case.objects.count() == 1


def test_back_from_the_receipt_and_send_again_is_still_one_laporan(
    live_server: Any, malang: Any, new_page: Any
) -> None:
    """The phone's Back button after the receipt: the browser puts the typed text back. The form
    says it was already sent, and sending it again gives back the same receipt, not a second
    report; opened anew afterwards, the form is empty."""
    phone = new_page(**PHONE)
    open_form(phone, live_server.url)
    type_laporan(phone, "Terkirim, lalu tombol kembali")
    attach(phone, noisy_png(6, 20))
    phone.get_by_test_id("send").click()
    phone.wait_for_url(RECEIPT_URL)
    case = Case.objects.get()

    phone.go_back()
    filed = phone.get_by_test_id("draft-filed")
    filed.wait_for()
    # Where the eye is: the browser put the page back at the send button, 3,000 px below the notice,
    # and the filer saw a form filled in, not that it had arrived.
    phone.wait_for_load_state()
    top = filed.evaluate("el => el.getBoundingClientRect().top")
    assert 0 <= top < phone.evaluate("innerHeight") / 2, top
    assert phone.evaluate("document.activeElement.id") == "draft-filed"
    assert phone.input_value("#id_title") == "Terkirim, lalu tombol kembali"
    assert stored_key(phone, phone.input_value("[name=idempotency_key]")) == case.idempotency_key
    phone.get_by_test_id("send").click()
    phone.wait_for_url(RECEIPT_URL)
    assert phone.get_by_test_id("tracking-code").inner_text().strip() == case.tracking_code
    assert Case.objects.count() == 1

    open_form(phone, live_server.url)
    assert phone.input_value("#id_title") == ""
    assert not filed.is_visible()


def test_a_sent_form_changed_afterwards_is_filed_as_a_new_laporan(
    live_server: Any, malang: Any, new_page: Any
) -> None:
    phone = new_page(**PHONE)
    open_form(phone, live_server.url)
    type_laporan(phone, "Laporan pertama")
    send_and_lose_the_receipt(phone)
    first = Case.objects.get()

    open_form(phone, live_server.url)
    phone.get_by_test_id("draft-filed").wait_for()
    phone.fill("#id_title", "Laporan kedua, kejadian lain")  # the filer reuses what was typed
    assert not phone.get_by_test_id("draft-filed").is_visible()
    phone.get_by_test_id("send").click()
    phone.wait_for_url(RECEIPT_URL)
    second = Case.objects.exclude(pk=first.pk).get()  # not the first receipt again
    assert second.title == "Laporan kedua, kejadian lain"
    assert phone.get_by_test_id("tracking-code").inner_text().strip() == second.tracking_code


def test_a_file_too_large_is_left_out_when_chosen(
    live_server: Any, malang: Any, new_page: Any, settings: Any
) -> None:
    settings.AWAS_EVIDENCE_MAX_BYTES = 50_000
    phone = new_page(**PHONE)
    open_form(phone, live_server.url)
    type_laporan(phone)
    phone.set_input_files(
        "#id_bukti",
        files=[
            {"name": "video-besar.png", "mimeType": "image/png", "buffer": noisy_png(6, 200)},
            {"name": "foto-kecil.png", "mimeType": "image/png", "buffer": noisy_png(7, 20)},
        ],
    )
    problem = phone.get_by_test_id("bukti-problem")
    problem.wait_for()
    assert "video-besar.png" in problem.inner_text() and "lebih besar" in problem.inner_text()
    chosen = phone.eval_on_selector("#id_bukti", "input => Array.from(input.files, f => f.name)")
    assert chosen == ["foto-kecil.png"]
    phone.get_by_test_id("send").click()
    phone.wait_for_url(RECEIPT_URL)
    assert CaseEvidence.objects.get().name == "foto-kecil.png"


def test_the_desa_list_holds_the_chosen_kecamatan_s_desa_only(
    live_server: Any, malang: Any, new_page: Any
) -> None:
    phone = new_page(**PHONE)
    open_form(phone, live_server.url)
    groups = "sel => Array.from(sel.querySelectorAll('optgroup')).map(g => g.label)"
    assert len(phone.eval_on_selector("#id_desa", groups)) > 1  # nothing chosen: every kecamatan
    phone.select_option("#id_kecamatan", GONDANGLEGI)
    (label,) = phone.eval_on_selector("#id_desa", groups)
    assert label.lower() == "gondanglegi"
    phone.select_option("#id_desa", PUTAT_KIDUL)
    # Another kecamatan: the desa of the first one is no longer offered, nor kept.
    other = phone.eval_on_selector(
        "#id_kecamatan",
        f"sel => Array.from(sel.options).find(o => o.value && o.value !== '{GONDANGLEGI}').value",
    )
    phone.select_option("#id_kecamatan", other)
    assert phone.input_value("#id_desa") == ""
    assert PUTAT_KIDUL not in phone.eval_on_selector(
        "#id_desa", "sel => Array.from(sel.options).map(o => o.value)"
    )


def test_small_controls_are_big_enough_for_a_finger(live_server: Any, malang: Any, new_page: Any) -> None:
    """The language switch sat beside the logo at 52 x 22 px; a radio was 13 px wide."""
    phone = new_page(**PHONE)
    open_form(phone, live_server.url)
    switch = phone.locator(".account button.link").first.bounding_box()
    radio = phone.locator("#id_sex_1").bounding_box()
    assert switch is not None and switch["height"] >= 44
    assert radio is not None and radio["width"] >= 20
    # The question of the radios stood against the date field above it (a legend's margin is lost).
    date = phone.locator("#id_birth_date").bounding_box()
    question = phone.locator("#id_sex").locator("xpath=..").locator("legend").bounding_box()
    assert date is not None and question is not None
    assert question["y"] - (date["y"] + date["height"]) >= 10


def test_a_late_laporan_confirmed_in_the_live_warning_goes_at_the_first_send(
    live_server: Any, malang: Any, new_page: Any
) -> None:
    """The warning appeared as the date was typed, but the laporan still came back once over the
    slow link, only to ask for a tick: the tick is in the warning."""
    phone = new_page(**PHONE)
    open_form(phone, live_server.url)
    type_laporan(phone, "Diketahui sepuluh hari lalu")
    known = (office_today() - dt.timedelta(days=10)).isoformat()
    phone.fill("#id_event_date", known)
    phone.fill("#id_known_date", known)
    live = phone.get_by_test_id("late-live")
    live.wait_for()
    anyway = live.get_by_role("checkbox")
    anyway.check()
    # Back to a date in time and late again: asked again, the earlier tick was for another date.
    phone.fill("#id_known_date", (office_today() - dt.timedelta(days=1)).isoformat())
    assert not live.is_visible()
    phone.fill("#id_known_date", known)
    assert not anyway.is_checked()
    anyway.check()
    screenshot(phone, "phone-lapor-late-confirmed")

    posts: list[str] = []
    phone.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    phone.get_by_test_id("send").click()
    phone.wait_for_url(RECEIPT_URL)
    assert len(posts) == 1
    case = Case.objects.get()
    assert case.title == "Diketahui sepuluh hari lalu"
    assert phone.get_by_test_id("receipt-late").is_visible()


def test_the_second_and_third_witness_wait_for_add_a_witness(
    live_server: Any, malang: Any, new_page: Any
) -> None:
    """Three witness rows were nine fields most filers scroll past on a phone."""
    phone = new_page(**PHONE)
    open_form(phone, live_server.url)
    assert phone.locator("#id_witness1_name").is_visible()
    assert not phone.locator("#id_witness2_name").is_visible()
    add = phone.get_by_role("button", name="Tambah saksi")
    add.click()
    assert phone.locator("#id_witness2_name").is_visible()
    phone.fill("#id_witness1_name", "Joko")
    phone.fill("#id_witness2_name", "Wati")
    add.click()
    assert phone.locator("#id_witness3_name").is_visible() and not add.is_visible()  # three at most
    # Sent back for a correction, or reloaded, the rows that hold a name are shown again.
    phone.reload()
    phone.get_by_test_id("laporan-form").wait_for()
    assert phone.locator("#id_witness2_name").input_value() == "Wati"
    assert phone.locator("#id_witness2_name").is_visible()
    assert not phone.locator("#id_witness3_name").is_visible()
    type_laporan(phone, "Dua saksi melihat")
    phone.get_by_test_id("send").click()
    phone.wait_for_url(RECEIPT_URL)
    case = Case.objects.get(title="Dua saksi melihat")
    assert sorted(case.witnesses.values_list("name", flat=True)) == ["Joko", "Wati"]
