"""The input layer of cyber supervision: batch files (CSV, JSON) and RSS/Atom feeds into RawPosts."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from awas.cyber import sources
from awas.cyber.sources import (
    FeedSource,
    ImportProblems,
    RawPost,
    SourceError,
    parse_batch,
    register_source,
    source_for,
)
from awas.cyber.tests.conftest import FeedHandler

DATA = Path(__file__).resolve().parent / "data"
WIB = ZoneInfo("Asia/Jakarta")
UTC = datetime.UTC


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """The msgids are English; once translated to Indonesian these checks still read the same."""
    with translation.override("en"):
        yield


def problems_of(data: bytes) -> list[str]:
    with pytest.raises(ImportProblems) as caught:
        parse_batch(data)
    assert caught.value.problems, "ImportProblems without problems"
    return caught.value.problems


# --- batch files: good input ---------------------------------------------------------------------


def test_csv_export_with_indonesian_headers() -> None:
    posts = parse_batch((DATA / "batch_ok.csv").read_bytes(), "ekspor.csv")
    assert [(p.platform, p.line) for p in posts] == [
        ("facebook", 2),
        ("instagram", 3),
        ("x", 4),  # its quoted text spans lines 4-5
        ("tiktok", 6),
        ("whatsapp", 7),
        ("youtube", 8),
    ]
    fb, ig, x, tiktok, wa, yt = posts
    assert fb == RawPost(
        platform="facebook",
        url="https://www.facebook.com/relawan.gondanglegi/posts/1001",
        author_handle="@relawan.gondanglegi",
        author_name="Relawan Gondanglegi",
        text="Ayo datang ke TPS 05 Putat Kidul, ada bingkisan sembako untuk warga yang coblos nomor 2.",
        posted_at=datetime.datetime(2026, 11, 26, 14, 5, tzinfo=WIB),
        engagement={"likes": 1234, "comments": 56, "shares": 12},
        metadata={"kecamatan": "Gondanglegi"},
        line=2,
    )
    assert fb.posted_at == datetime.datetime(2026, 11, 26, 7, 5, tzinfo=UTC)
    assert ig.posted_at == datetime.datetime(2026, 11, 26, 14, 5, tzinfo=WIB)  # "26-11-2026 14.05"
    assert ig.engagement == {"likes": 2500, "comments": 10}  # "2,5rb"
    assert x.text == (
        'Kepala sekolah ikut deklarasi dukungan:\n"ASN wajib netral" katanya, tapi kenyataannya lain.'
    )
    assert x.engagement == {"likes": 3, "comments": 0, "shares": 1, "views": 1_500_000}  # "1,5jt"
    assert tiktok.posted_at == datetime.datetime(2026, 11, 26, 7, 5, tzinfo=UTC)  # "Z" stays UTC
    assert tiktok.author_name == "" and tiktok.metadata == {} and tiktok.engagement == {"views": 3000}
    assert (wa.url, wa.author_handle, wa.posted_at) == ("", "Grup RT 03 Sumberjaya", None)
    assert yt.posted_at == datetime.datetime(2026, 11, 27, 19, 30, 15, tzinfo=WIB)
    assert yt.engagement == {"views": 12_500}
    assert all(p.posted_at is None or p.posted_at.tzinfo is not None for p in posts)


def test_semicolon_csv_with_bom_and_crlf_as_excel_saves_it() -> None:
    data = (DATA / "batch_ok_semicolon.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    fb, yt = parse_batch(data)
    assert (fb.platform, fb.url, fb.author_handle) == (
        "facebook",
        "https://www.facebook.com/groups/warga/posts/77",
        "@ibu.rt",
    )
    assert fb.text == "Undangan pengajian; sekalian sosialisasi paslon"
    assert fb.posted_at == datetime.datetime(2026, 11, 26, 9, 15, tzinfo=WIB)
    assert fb.engagement == {"likes": 1234, "views": 2500}
    assert (yt.platform, yt.engagement, yt.line) == ("youtube", {"likes": 0, "views": 3000}, 3)


def test_tab_separated_csv() -> None:
    data = b"platform\turl\ttext\nthreads\thttps://www.threads.net/@a/post/1\tSatu, dua; tiga\n"
    (post,) = parse_batch(data)
    assert (post.platform, post.text) == ("threads", "Satu, dua; tiga")


def test_json_export_with_posts_list_and_mixed_keys() -> None:
    ig, x = parse_batch((DATA / "batch_ok.json").read_bytes(), "ekspor.csv")  # content decides, not the name
    assert ig == RawPost(
        platform="instagram",
        url="https://www.instagram.com/p/DAwas02/",
        author_handle="@timses.nomor1",
        author_name="Timses Nomor 1",
        text="Bagi-bagi kaos gratis di Pasar Gondanglegi besok pagi",
        posted_at=datetime.datetime(2026, 11, 25, 9, 30, tzinfo=WIB),
        engagement={"likes": 420, "comments": 1234},
        metadata={"hashtags": ["#pilkada", "#gondanglegi"], "lokasi": "Pasar Gondanglegi"},
        line=1,
    )
    assert x.posted_at == datetime.datetime(2026, 11, 25, 8, 0, tzinfo=WIB)
    assert (x.engagement, x.line) == ({"shares": 7, "views": 2500}, 2)


def test_json_plain_list() -> None:
    data = b'[{"platform": "WA", "akun": "+62 812-0000-0000", "isi": "Pesan berantai", "waktu": 1795676700}]'
    (post,) = parse_batch(data)
    assert (post.platform, post.url, post.author_handle) == ("whatsapp", "", "+62 812-0000-0000")
    assert post.posted_at == datetime.datetime(2026, 11, 26, 7, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        *[("Twitter", "x"), ("X", "x"), ("X (Twitter)", "x"), ("FB", "facebook"), ("ig", "instagram")],
        *[("TikTok", "tiktok"), ("YouTube", "youtube"), ("yt", "youtube"), ("WA", "whatsapp")],
        *[("WhatsApp", "whatsapp"), ("Lainnya", "lainnya"), ("Threads", "threads")],
    ],
)
def test_platform_names(name: str, expected: str) -> None:
    (post,) = parse_batch(f"platform,handle,text\n{name},@a,Teks\n".encode())
    assert post.platform == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("26/11/2026 14:05", datetime.datetime(2026, 11, 26, 14, 5, tzinfo=WIB)),
        ("26/11/2026 14:05:09", datetime.datetime(2026, 11, 26, 14, 5, 9, tzinfo=WIB)),
        ("26-11-2026 14.05", datetime.datetime(2026, 11, 26, 14, 5, tzinfo=WIB)),
        ("2026-11-26 14:05", datetime.datetime(2026, 11, 26, 14, 5, tzinfo=WIB)),
        ("2026-11-26T14:05:00+07:00", datetime.datetime(2026, 11, 26, 14, 5, tzinfo=WIB)),
        ("2026-11-26T07:05:00Z", datetime.datetime(2026, 11, 26, 14, 5, tzinfo=WIB)),
        ("26/11/2026", datetime.datetime(2026, 11, 26, 0, 0, tzinfo=WIB)),
    ],
)
def test_date_forms(value: str, expected: datetime.datetime) -> None:
    (post,) = parse_batch(f'platform,handle,text,waktu\nx,@a,Teks,"{value}"\n'.encode())
    assert post.posted_at == expected and post.posted_at is not None and post.posted_at.tzinfo is not None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        *[("0", 0), ("1234", 1234), ("1.234", 1234), ("1.234.567", 1_234_567), ("1,234", 1234)],
        *[("2,5rb", 2500), ("3 rb", 3000), ("1,5jt", 1_500_000), ("2 juta", 2_000_000), ("1.2K", 1200)],
    ],
)
def test_engagement_numbers(value: str, expected: int) -> None:
    (post,) = parse_batch(f'platform,handle,text,suka\nx,@a,Teks,"{value}"\n'.encode())
    assert post.engagement == {"likes": expected}


# --- batch files: bad input ----------------------------------------------------------------------


def test_every_bad_row_is_reported_and_nothing_returned() -> None:
    problems = problems_of((DATA / "batch_bad.csv").read_bytes())
    assert [p.split(":")[0] for p in problems] == [f"Line {n}" for n in (3, 4, 5, 6, 7, 8, 8)]
    line3, line4, line5, line6, line7, line8a, line8b = problems
    assert "friendster" in line3 and "facebook, instagram, tiktok, x, youtube, threads, whatsapp" in line3
    assert "ftp://files.example.com/3" in line4 and "http" in line4
    assert "text is empty" in line5
    assert "31/02/2026 10:00" in line6
    assert "banyak" in line7 and "likes" in line7
    assert "URL or the author's handle" in line8a
    assert "-5" in line8b


@pytest.mark.parametrize("value", ["banyak", "-5", "1,5", "1.5", "12.34", "2,5xx", "rb", "1.234,5"])
def test_bad_numbers(value: str) -> None:
    (problem,) = problems_of(f'platform,handle,text,views\nx,@a,Teks,"{value}"\n'.encode())
    assert problem.startswith("Line 2: views") and value in problem


@pytest.mark.parametrize("value", ["kemarin", "31/02/2026 10:00", "2026-13-01", "26/11/26 14:05"])
def test_bad_dates(value: str) -> None:
    (problem,) = problems_of(f'platform,handle,text,tanggal\nx,@a,Teks,"{value}"\n'.encode())
    assert problem.startswith("Line 2: cannot read the date") and value in problem


def test_broken_encoding_names_each_bad_line() -> None:
    problems = problems_of((DATA / "batch_latin1.csv").read_bytes())
    assert [p.split(":")[0] for p in problems] == ["Line 3", "Line 5"]
    assert "UTF-8" in problems[0]


@pytest.mark.parametrize(
    ("header", "found_twice_or_missing"),
    [
        ("platform,url,judul", "missing text"),
        ("url,handle,text", "missing platform"),
        ("platform,nama,text", "missing url / author_handle"),
        ("platform,link,isi,teks", "text given more than once"),
        ("platform,url,text,catatan,catatan", "catatan given more than once"),
    ],
)
def test_wrong_columns_are_one_problem(header: str, found_twice_or_missing: str) -> None:
    data = f"{header}\n" + "\n".join(",".join("x" for _ in header.split(",")) for _ in range(3))
    (problem,) = problems_of(data.encode())
    assert found_twice_or_missing in problem
    assert f"Found: {header.replace(',', ', ')}." in problem and "Expected: platform, text" in problem


@pytest.mark.parametrize(
    "data", [b"", b"  \n\n", b"\xef\xbb\xbf", b"platform,url,text\n", b"platform;url;text\r\n;;\r\n"]
)
def test_empty_file_or_header_only(data: bytes) -> None:
    (problem,) = problems_of(data)
    assert problem in ("The file is empty.", "The file has no rows of posts.")


def test_row_longer_than_header() -> None:
    (problem,) = problems_of(b"platform,handle,text\nx,@a,Teks,lebih\n")
    assert problem == "Line 2: 4 cells, but the header has 3."


def test_more_than_20000_rows_is_one_problem() -> None:
    rows = [f"x,@a,Teks {n}\n" for n in range(20_001)]
    (problem,) = problems_of("".join(["platform,handle,text\n", *rows]).encode())
    assert "20000" in problem
    assert len(parse_batch("".join(["platform,handle,text\n", *rows[:-1]]).encode())) == 20_000


def test_json_syntax_error_gives_line_and_column() -> None:
    (problem,) = problems_of(b'[\n  {"platform": "x",\n   "text": "a" "handle": "@a"}\n]')
    assert problem.startswith("Line 3, column 16: not valid JSON")


@pytest.mark.parametrize(
    "data", [b'{"data": []}', b'{"posts": "teks"}', b"{}", b"[" * 100_000, b'{"posts": {"platform": "x"}}']
)
def test_json_that_is_not_a_list_of_posts(data: bytes) -> None:
    (problem,) = problems_of(data)
    assert "list of posts" in problem or "not valid JSON (RecursionError)" in problem


def test_json_items_must_be_objects_with_text_values() -> None:
    assert problems_of(b'[{"platform": "x", "handle": "@a", "text": "ok"}, 3, "x"]') == [
        "Item 2: not a JSON object.",
        "Item 3: not a JSON object.",
    ]
    problems = problems_of(b'[{"platform": "x", "handle": "@a", "text": ["a"], "likes": true}]')
    assert problems[0] == "Item 1: text must be text, not list."
    assert problems[1:] == [
        "Item 1: the text is empty.",
        "Item 1: likes “True” is not a whole number of 0 or more.",
    ]


def test_json_duplicate_column_after_aliases() -> None:
    (problem,) = problems_of(b'[{"platform": "x", "handle": "@a", "text": "a", "Teks": "b"}]')
    assert "text given more than once" in problem


GARBAGE = [
    b"\x00" * 10,
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    b"PK\x03\x04\x14\x00\x06\x00",  # an .xlsx
    b"\xff\xfe\x00p\x00l",  # UTF-16
    b'"unterminated,field\n',
    b"[" + b'{"a":' * 3000,
    b'platform,handle,text\nx,@a,"' + b"a" * 200_000 + b'"\n',  # larger than csv.field_size_limit
    b"platform,handle,text\nx,@a,ok\x00ok\n",
    b"{'posts': []}",
    b"\xef\xbb\xbf\xef\xbb\xbf[]",
    b'[{"platform": "x", "handle": "@a", "text": "t", "likes": ' + b"9" * 5000 + b"}]",  # int() digit limit
    b'[{"platform": "x", "handle": "@a", "text": "t", "likes": "' + b"9" * 5000 + b'", "waktu": 1e300}]',
    b"platform,handle,text,likes\nx,@a,t," + b"9" * 5000 + b"\n",
]


@pytest.mark.parametrize("data", GARBAGE)
def test_garbage_samples_raise_import_problems(data: bytes) -> None:
    try:
        parse_batch(data)
    except ImportProblems as problems:
        assert problems.problems


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.binary(max_size=400),
        st.text(max_size=200).map(str.encode),
        st.lists(st.sampled_from(["platform", "url", "text", "x", "@a", ",", ";", "\n", '"', "{", "[", "é"]))
        .map("".join)
        .map(str.encode),
    )
)
def test_random_bytes_never_raise_anything_else(data: bytes) -> None:
    try:
        posts = parse_batch(data)
    except ImportProblems as problems:
        assert problems.problems and all(isinstance(p, str) and p for p in problems.problems)
    else:
        assert all(isinstance(p, RawPost) and p.text for p in posts)


# --- feeds -------------------------------------------------------------------------------------------


def test_rss_feed(feed_server: str) -> None:
    posts = source_for("rss").fetch(f"{feed_server}/rss.xml", timeout=5)
    assert len(posts) == 3
    sembako, asn, hoaks = posts
    assert sembako == RawPost(
        platform="lainnya",
        url="https://berita.example.id/2026/11/sembako",
        author_handle="",
        author_name="Redaksi",
        text="Bagi-bagi sembako jelang pencoblosan\n\n"
        "Warga Putat Kidul menerima paket sembako.\nBawaslu menelusuri laporan itu.",
        posted_at=datetime.datetime(2026, 11, 26, 7, 5, tzinfo=UTC),
        engagement={},
        metadata={"feed": "Berita Pemilu Malang", "entry_id": "berita-1001"},
    )
    assert asn.posted_at == datetime.datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
    assert asn.author_name == "Berita Pemilu Malang"  # no author: the feed's title
    assert asn.text == (
        "ASN hadir di kampanye terbuka\n\nSeorang camat terlihat\ndi panggung & memakai atribut paslon."
    )
    assert "<" not in asn.text and "alert" not in asn.text
    assert (hoaks.author_handle, hoaks.author_name) == ("@warga_kritis", "@warga_kritis")
    assert hoaks.posted_at is None
    assert hoaks.text.endswith("\n\nFoto lama\nBukan di Malang")


def test_atom_feed(feed_server: str) -> None:
    posts = source_for("rss", platform="Facebook").fetch(f"{feed_server}/atom.xml")
    assert len(posts) == 2  # the third entry has no text
    masjid, plain = posts
    assert masjid.platform == "facebook"
    assert masjid.url == "https://kanal.example.id/laporan/2"
    assert masjid.author_name == "Pemantau Kepanjen"
    assert masjid.text == "Kampanye di tempat ibadah\n\nSpanduk paslon dipasang di halaman masjid."
    assert masjid.posted_at == datetime.datetime(2026, 11, 26, 7, 5, tzinfo=UTC)  # published, not updated
    assert masjid.metadata == {
        "feed": "Pantauan Kanal Warga",
        "entry_id": "urn:uuid:2f1c7a52-0000-4000-8000-000000000002",
    }
    assert plain.posted_at == datetime.datetime(2026, 11, 26, 10, 0, tzinfo=UTC)  # updated when not published
    assert plain.text == "Entri tanpa tanggal terbit\n\nRingkasan polos."


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/missing.xml", "answered 404"),
        ("/not_a_feed.html", "not an RSS or Atom feed"),
        ("/batch_ok.csv", "not an RSS or Atom feed"),
        ("/to-ftp", "Only http:// and https://"),
        ("/to-file", "answered 302"),  # urllib itself refuses redirects to file://
    ],
)
def test_feed_errors(feed_server: str, path: str, reason: str) -> None:
    with pytest.raises(SourceError, match=reason):
        FeedSource().fetch(feed_server + path)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.com/feed.xml", "rss.xml", ""])
def test_only_web_addresses(url: str) -> None:
    with pytest.raises(SourceError, match="Only http:// and https://"):
        FeedSource().fetch(url)


def test_unreachable_server() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FeedHandler)
    port = server.server_address[1]
    server.server_close()  # nothing listens there now
    with pytest.raises(SourceError, match="Could not fetch"):
        FeedSource().fetch(f"http://127.0.0.1:{port}/rss.xml", timeout=5)


def test_feed_size_limit(feed_server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sources, "MAX_FEED_BYTES", 1000)
    with pytest.raises(SourceError, match="larger than"):
        FeedSource().fetch(f"{feed_server}/rss.xml")


def test_source_registry() -> None:
    with pytest.raises(KeyError, match="nope"):
        source_for("nope")
    with pytest.raises(ValueError, match="myspace"):
        source_for("rss", platform="myspace")

    class Fixed:
        kind = "tetap"

        def __init__(self, text: str) -> None:
            self.text = text

        def fetch(self, url: str, *, timeout: float = 20.0) -> list[RawPost]:
            return [RawPost("lainnya", url, "", "", self.text, None, {}, {})]

    register_source("tetap", Fixed)
    try:
        (post,) = source_for("tetap", text="halo").fetch("https://example.id/")
        assert (post.text, post.url) == ("halo", "https://example.id/")
        assert isinstance(source_for("rss"), FeedSource)
    finally:
        sources._SOURCES.pop("tetap")


def test_values_longer_than_their_column_are_reported_per_line() -> None:
    long_name = "N" * 201
    data = f"platform,url,author_handle,author_name,text\nfacebook,https://fb.com/p/1,a,{long_name},teks\n"
    with translation.override("en"), pytest.raises(ImportProblems) as caught:
        parse_batch(data.encode())
    assert caught.value.problems == ["Line 2: author_name is longer than 200 characters."]


def test_feeds_on_the_offices_own_network_are_refused_unless_allowed(feed_server: str, settings: Any) -> None:
    settings.AWAS_FEEDS_ALLOW_PRIVATE = False
    with translation.override("en"), pytest.raises(SourceError, match="private network"):
        source_for("rss").fetch(f"{feed_server}/rss.xml", timeout=5)
    with translation.override("en"), pytest.raises(SourceError, match="private network"):
        source_for("rss").fetch("http://169.254.169.254/latest/meta-data/", timeout=5)
    settings.AWAS_FEEDS_ALLOW_PRIVATE = True
    assert len(source_for("rss").fetch(f"{feed_server}/rss.xml", timeout=5)) == 3


def test_a_utf16_export_without_its_byte_mark_is_reported_by_line():
    data = "platform,url,teks\nfacebook,https://fb.com/p/1,Ayo pilih\n".encode("utf-16-le")
    assert problems_of(data) == [
        f"Line {n}: contains NUL characters; save the file as CSV UTF-8 (not UTF-16)." for n in (1, 2, 3)
    ]
