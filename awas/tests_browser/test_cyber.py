"""The cyber team imports a batch of posts, reviews the riskiest one and escalates it to a temuan.

A tim siber member (password and TOTP, Indonesian screen) uploads a CSV export of five posts, one
of them by an ASN in the register whose account matches, with plainly partisan text. The queue
puts that post first; the reviewer confirms its "ASN partisanship" label and escalates it. The
temuan shows the capture's SHA-256 (on the post page and, for the handling staff, on the case
page), and the person's page in the ASN register lists the post.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from awas.asn.models import Platform, SocialAccount
from awas.asn.tests.helpers import person
from awas.cases.models import Case, Channel
from awas.conftest import GONDANGLEGI, KAB_MALANG, TEST_PASSWORD
from awas.core.roles import Role
from awas.cyber.labels import ASN_LABEL
from awas.cyber.models import Post, ReviewStatus
from awas.tests_browser.support import screenshot, sign_in_enrolled

pytestmark = pytest.mark.browser

PARTISAN = "Ayo dukung paslon nomor 2, saya sebagai ASN di Dinas Pendidikan siap memenangkan! #coblos2"
ROWS = [
    ("facebook", "https://www.facebook.com/warga.putatkidul/posts/11", "@warga.putatkidul", "Warga PK",
     "Jalan di Desa Putat Kidul rusak parah, mohon perbaikan sebelum musim hujan", "20/11/2026 07:30"),
    ("instagram", "https://www.instagram.com/p/PasarGdl/", "@info.gondanglegi", "Info Gondanglegi",
     "Pasar Gondanglegi ramai menjelang akhir pekan, harga cabai naik", "20/11/2026 08:10"),
    ("facebook", "https://www.facebook.com/guru.budi/posts/22", "@guru.budi", "Budi Santoso",
     PARTISAN, "20/11/2026 09:45"),
    ("x", "https://x.com/pemuda_kepanjen/status/33", "@pemuda_kepanjen", "Pemuda Kepanjen",
     "Debat paslon tadi malam seru, siapa yang menurutmu paling siap?", "20/11/2026 10:05"),
    ("tiktok", "https://www.tiktok.com/@kabar.desa/video/44", "@kabar.desa", "Kabar Desa",
     "Katanya ada yang bagi-bagi sembako di balai desa, benar nggak ya?", "20/11/2026 11:20"),
]  # fmt: skip


def write_batch(folder: Path) -> Path:
    path = folder / "ekspor-siber.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["platform", "url", "author_handle", "author_name", "text", "posted_at"])
        writer.writerows(ROWS)
    return path


def test_a_batch_is_reviewed_escalated_and_linked_to_the_asn_register(
    live_server: Any, malang: Any, make_user: Callable[..., Any], new_page: Callable[..., Any], tmp_path: Path
) -> None:
    base_url = live_server.url
    budi = person(GONDANGLEGI, "Budi Santoso", position="Guru", unit="SDN 1 Gondanglegi")
    SocialAccount.objects.create(person=budi, platform=Platform.FACEBOOK, handle="guru.budi")

    page = new_page(locale="id-ID")
    siber = make_user(Role.TIM_SIBER, KAB_MALANG, username="tim.siber")
    sign_in_enrolled(page, base_url, siber, TEST_PASSWORD)

    # Import the export file.
    page.goto(f"{base_url}/siber/impor/")
    assert page.locator("html").get_attribute("lang") == "id"
    page.set_input_files("#id_file", str(write_batch(tmp_path)))
    page.locator("main form[enctype] button[type=submit]").click()
    page.wait_for_url(f"{base_url}/siber/")
    rows = page.get_by_test_id("queue-row")
    assert rows.count() == 5
    screenshot(page, "cyber-queue-after-import")

    # The riskiest post is the ASN's, marked as matching the register.
    top = rows.first
    assert "guru.budi" in top.inner_text()
    assert top.get_by_test_id("asn-match").count() == 1
    top.get_by_test_id("post-link").click()
    page.wait_for_url(re.compile(r"/siber/post/\d+/$"))
    post = Post.objects.get(author_handle="guru.budi")
    assert page.url.endswith(f"/siber/post/{post.pk}/")
    assert "Dinas Pendidikan" in page.get_by_test_id("post-text").inner_text()

    # Confirm the ASN partisanship label, then escalate.
    label_row = page.get_by_test_id(f"label-{ASN_LABEL}")
    label_row.get_by_test_id("confirm").click()
    page.wait_for_load_state()
    post.refresh_from_db()
    assert post.review_status == ReviewStatus.REVIEWED
    page.get_by_test_id("escalate-form").locator("textarea").fill("Akun cocok dengan daftar ASN.")
    page.get_by_test_id("escalate").click()
    page.wait_for_load_state()
    post.refresh_from_db()
    case = Case.objects.get(source_ref=post.ref)
    assert case.channel == Channel.CYBER and post.case_id == case.pk
    sha = post.captures.get().sha256
    assert page.get_by_test_id("temuan-number").inner_text().strip() == str(case)
    hashes = [h.inner_text().strip() for h in page.get_by_test_id("temuan-evidence-sha256").all()]
    assert sha in hashes
    screenshot(page, "cyber-post-escalated")

    # The ASN person's page lists the post and links to it.
    page.goto(f"{base_url}/asn/daftar/{budi.pk}/")
    link = page.get_by_test_id("partisan-post-link")
    assert link.inner_text().strip() == post.ref
    link.click()
    page.wait_for_url(f"{base_url}/siber/post/{post.pk}/")

    # The handling staff open the temuan and see the capture's hash.
    staff = new_page(locale="id-ID")
    staf_pp = make_user(Role.STAF_PP, KAB_MALANG, username="staf.pp")
    sign_in_enrolled(staff, base_url, staf_pp, TEST_PASSWORD)
    staff.goto(f"{base_url}/siber/post/{post.pk}/")
    staff.get_by_test_id("temuan-link").click()
    staff.wait_for_url(f"{base_url}/perkara/{case.pk}/")
    assert sha in staff.content()
    screenshot(staff, "cyber-temuan-case-page")
