"""A Panwascam's cheap Android phone, 360 pixels wide: every staff page of case handling fits the
screen (no sideways scroll), and each step on the case page is a title and a button a thumb can hit.

The cases cover the stages a case page shows: a laporan waiting for the pelapor's kelengkapan (its
pelapor with a long e-mail address), one registered with a clarification scheduled, one whose
kajian waits for the plenary, one decided, one referred to a body, and a temuan draft. On an office
screen the same page keeps its columns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from awas.cases.formatting import today_local
from awas.cases.models import Case, DecisionOutcome
from awas.cases.services import workflow
from awas.cases.tests.staff_helpers import (
    ALL_MET,
    body,
    decided_case,
    facts,
    record_laporan,
    registered_laporan,
)
from awas.conftest import GONDANGLEGI, KAB_MALANG, PUTAT_KIDUL, TEST_PASSWORD
from awas.core.roles import Role
from awas.tests_browser.support import screenshot, sign_in_enrolled

pytestmark = pytest.mark.browser

PHONE_360 = {
    "viewport": {"width": 360, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "id-ID",
}
LONG_EMAIL = "seorang.pelapor.dengan.alamat.panjang@contoh-domain-panjang.co.id"
TAP = 44  # px, the touch target the office's pages give a finger (WCAG 2.5.5)


def _cases(staf: Any) -> dict[str, Case]:
    incomplete = record_laporan(staf, PUTAT_KIDUL, email=LONG_EMAIL)
    workflow.requirements_check(case=incomplete, checks=dict(ALL_MET, material_witness=False), actor=staf)
    registered = registered_laporan(staf, PUTAT_KIDUL)
    workflow.clarification_schedule(
        case=registered,
        invitee_name="Ahmad Fauzi",
        invitee_role="terlapor",
        scheduled_at=timezone.now() + dt.timedelta(days=1),
        place="Kantor Panwaslu Kecamatan Gondanglegi",
        actor=staf,
    )
    studied = registered_laporan(staf, PUTAT_KIDUL)
    workflow.study_save(
        case=studied, facts="Fakta.", analysis="Analisis.", conclusion="Kesimpulan.", actor=staf
    )
    decided = decided_case(staf, PUTAT_KIDUL, DecisionOutcome.LAINNYA, days_ago=1)
    referred = decided_case(
        staf, PUTAT_KIDUL, DecisionOutcome.LAINNYA, days_ago=30, terlapor_position="Kepala desa"
    )
    workflow.referral_create(
        case=referred, body=body("kemendagri"), sent_on=today_local() - dt.timedelta(days=29), actor=staf
    )
    found = today_local() - dt.timedelta(days=2)
    temuan = workflow.temuan_create(facts=facts(GONDANGLEGI, event_date=found, known_date=found), actor=staf)
    return {
        "incomplete": incomplete,
        "registered": registered,
        "studied": studied,
        "decided": decided,
        "referred": referred,
        "temuan": temuan,
    }


def _page_width(page: Any) -> int:
    # A mobile browser widens its layout viewport to the widest content, so innerWidth would
    # follow the overflow: measure against the phone's 360 pixels.
    return int(page.evaluate("document.documentElement.scrollWidth"))


def _assert_fits(page: Any, what: str) -> None:
    width = _page_width(page)
    assert width <= 360, f"{what}: the page is {width} px wide on a 360 px phone"


# Whether the centre of ``el`` is ``el`` itself (or inside it), i.e. nothing covers it.
TOP_AT_CENTRE = """(el) => {
  const r = el.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  return hit !== null && (hit === el || el.contains(hit));
}"""


def _assert_tappable(page: Any, element: Any, what: str) -> None:
    element.scroll_into_view_if_needed()
    box = element.bounding_box()
    assert box is not None, what
    assert box["height"] >= TAP - 0.5, f"{what}: {box['height']:.0f} px high"
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360 + 1, f"{what}: off the screen {box}"
    assert box["y"] >= 0 and box["y"] + box["height"] <= 740 + 1, f"{what}: not on the screen {box}"
    assert element.evaluate(TOP_AT_CENTRE), f"{what}: covered by another element"


def test_the_staff_pages_fit_a_360_pixel_phone_and_each_step_can_be_tapped(
    live_server: Any, malang: Any, make_user: Any, new_page: Callable[..., Any]
) -> None:
    staf = make_user(Role.STAF_PP, KAB_MALANG, username="staf.pp")
    cases = _cases(staf)
    phone = new_page(**PHONE_360)
    sign_in_enrolled(phone, live_server.url, staf, TEST_PASSWORD)

    for what, path in (
        ("case list", "/perkara/"),
        ("case list, filtered", "/perkara/?status=perlu_kelengkapan&kecamatan=" + GONDANGLEGI),
        ("laporan received in person", "/perkara/laporan-baru/"),
        ("temuan draft", "/perkara/temuan-baru/"),
        ("deadlines at risk", "/perkara/tenggat/"),
        ("overdue follow-ups", "/perkara/tindak-lanjut/"),
    ):
        phone.goto(live_server.url + path)
        _assert_fits(phone, what)
    phone.goto(f"{live_server.url}/perkara/")
    _assert_tappable(phone, phone.get_by_role("link", name=cases["incomplete"].tracking_code), "case link")
    phone.goto(f"{live_server.url}/perkara/laporan-baru/")
    _assert_tappable(phone, phone.locator("#id_evidence"), "evidence upload")

    steps_seen: set[str] = set()
    for stage, case in cases.items():
        phone.goto(f"{live_server.url}/perkara/{case.pk}/")
        _assert_fits(phone, f"{stage} case page")
        summaries = phone.locator("main details.step > summary")
        assert summaries.count() > 0, stage
        for index in range(summaries.count()):
            summary = summaries.nth(index)
            title = summary.inner_text().strip()
            details = summary.locator("xpath=..")
            _assert_tappable(phone, summary, f"{stage}: step '{title}'")
            if not details.evaluate("d => d.open"):
                summary.click()
            button = details.locator("form button[type=submit]").last
            _assert_tappable(phone, button, f"{stage}: the button of '{title}'")
            steps_seen.add(title)
        _assert_fits(phone, f"{stage} case page with every step open")
        screenshot(phone, f"phone-360-case-{stage}")

    # Each step the brief of issue 4 names was on one of the pages and passed.
    for step in (
        "Periksa syarat formal dan materiel",
        "Undang klarifikasi",
        "Catat berita acara klarifikasi",
        "Susun kajian",
        "Catat putusan rapat pleno",
        "Teruskan kepada instansi berwenang",
        "Catat jawaban instansi",
        "Registrasi temuan",
    ):
        assert step in steps_seen, (step, sorted(steps_seen))

    # The requirements checklist: a box per 44 px row, so a thumb ticks the one it meant.
    phone.goto(f"{live_server.url}/perkara/{cases['incomplete'].pk}/")
    rows = phone.locator("form.checklist label:has(input[type=checkbox])")
    assert rows.count() == 8
    for index in range(rows.count()):
        assert rows.nth(index).bounding_box()["height"] >= TAP - 0.5

    # Each fact's label above its value: beside it, a 140-220 px label column left the value
    # some 100 px ("Analis|is").
    label, value = phone.locator("dl.facts dt").first, phone.locator("dl.facts dd").first
    assert value.bounding_box()["y"] >= label.bounding_box()["y"] + label.bounding_box()["height"] - 1
    # The pelapor's long e-mail address stays inside the screen, broken in its line.
    contact = phone.locator("dl.facts dd", has_text="@contoh-domain-panjang")
    box = contact.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 360, box

    # The status history: the reason reads the full card width, not a 50 px column.
    phone.goto(f"{live_server.url}/perkara/{cases['registered'].pk}/")
    reason = phone.get_by_test_id("status-history").locator("tbody tr").first.locator("td").nth(3)
    assert reason.bounding_box()["width"] >= 250
    # Codes that fit on a line are not split at its end ("AW|S-J8AG-5XGC"), read aloud wrong.
    for code in (cases["registered"].registration_number, cases["registered"].tracking_code):
        shown = phone.locator("main .code", has_text=code).first
        assert shown.evaluate("el => el.getClientRects().length") == 1, code


# The lines the text inside ``el`` takes (a heading written by ::before not counted): its pieces whose
# middle lies below the line before start a new line.
LINES = """(el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  const rects = [...range.getClientRects()].filter((r) => r.width > 0).sort((a, b) => a.top - b.top);
  let lines = 0, bottom = -Infinity;
  for (const r of rects) {
    if (r.top + r.height / 2 > bottom) { lines += 1; bottom = r.bottom; }
  }
  return lines;
}"""


def test_on_a_phone_the_evidence_hash_and_the_tracking_code_keep_their_lines(
    live_server: Any, malang: Any, make_user: Any, new_page: Callable[..., Any]
) -> None:
    staf = make_user(Role.STAF_PP, KAB_MALANG, username="staf.pp")
    case = registered_laporan(staf, PUTAT_KIDUL)
    digest = case.evidence.get().evidence.sha256
    phone = new_page(**PHONE_360)
    sign_in_enrolled(phone, live_server.url, staf, TEST_PASSWORD)

    for width in (360, 390):
        phone.set_viewport_size({"width": width, "height": 740})
        phone.goto(f"{live_server.url}/perkara/{case.pk}/")
        assert _page_width(phone) <= width, width
        # Each file a card, its SHA-256 on the card's full width: squeezed into a table's column
        # it read as eleven lines of six characters.
        shown = phone.get_by_test_id("evidence").locator("td", has_text=digest)
        lines = shown.evaluate(LINES)
        assert lines <= 2, f"{width} px: the SHA-256 takes {lines} lines"
        box = shown.bounding_box()
        assert box is not None and box["x"] + box["width"] <= width, (width, box)
        # "Kode pelacakan: AWS-…" stays together, on the next line when it does not fit after the
        # registration number ("… /XI/2026 Kode | pelacakan: AWS-…").
        tracking = phone.get_by_test_id("tracking-code").locator("xpath=..")
        assert tracking.inner_text().startswith("Kode pelacakan")
        assert tracking.evaluate(LINES) == 1, f"{width} px: the tracking code split across lines"
        screenshot(phone, f"phone-{width}-case-evidence")


def test_an_office_screen_keeps_the_columns(
    live_server: Any, malang: Any, make_user: Any, new_page: Callable[..., Any]
) -> None:
    staf = make_user(Role.STAF_PP, KAB_MALANG, username="staf.pp")
    case = registered_laporan(staf, PUTAT_KIDUL)
    desk = new_page(locale="id-ID")
    sign_in_enrolled(desk, live_server.url, staf, TEST_PASSWORD)
    desk.goto(f"{live_server.url}/perkara/{case.pk}/")

    label, value = desk.locator("dl.facts dt").first, desk.locator("dl.facts dd").first
    assert label.bounding_box()["y"] == value.bounding_box()["y"]  # side by side
    assert label.bounding_box()["x"] < value.bounding_box()["x"]
    history = desk.get_by_test_id("status-history")
    assert history.locator("thead").is_visible()  # a table with its headings
    evidence = desk.get_by_test_id("evidence")
    assert evidence.locator("thead").is_visible()
    assert evidence.locator("td.code").evaluate(LINES) == 1  # the SHA-256 on one line in its column
    assert desk.get_by_test_id("tracking-code").locator("xpath=..").evaluate(LINES) == 1
    submit = desk.locator("main details.step form button[type=submit]").first
    desk.locator("main details.step > summary").first.click()
    assert submit.bounding_box()["height"] < TAP  # a mouse's button, as before
    screenshot(desk, "desk-case-registered")
