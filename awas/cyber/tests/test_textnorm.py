"""The Indonesian normaliser: cleaning, slang, elongation, reduplication, markers, stemming."""

from __future__ import annotations

import pytest

from awas.cyber.textnorm import Lexicon, Normaliser, clean, parse_slang, squeeze, stem


@pytest.fixture(scope="module")
def norm() -> Normaliser:
    return Normaliser()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "yg gak tdk bgt dgn utk krn sm org aja dll",
            "yang tidak tidak banget dengan untuk karena sama orang saja dan lain lain",
        ),
        ("nggak ga enggak kagak", "tidak tidak tidak tidak"),
        ("bangeeettt", "banget"),
        ("kereeen mantaaap", "keren mantap"),
        ("maaaaf", "maaf"),
        ("wkwkwkwk hahahahaa", "wkwk haha"),
        ("anak2 sama2nya", "anak anak sama samanya"),
        ("b3rsama", "bersama"),
        ("#2019gantipresiden", "2019 gantipresiden"),
        (
            "bagi-bagi amplop 50rb, Rp 100.000 & dikasih 20ribu",
            "bagi bagi amplop nominaluang nominaluang dikasih nominaluang",
        ),
        ("telp 081234567890 sekarang", "telp sekarang"),
    ],
)
def test_words(norm: Normaliser, text: str, expected: str) -> None:
    assert norm(text) == expected


def test_cleaning_drops_urls_mentions_anonymised_tokens_and_retweet_marker(norm: Normaliser) -> None:
    text = "RT USER: lihat https://t.co/abc dan www.contoh.id/x @budi_01 URL ok"
    assert norm(text) == "lihat dan oke"
    assert clean("USER USER AKU ITU AKU\\n\\nKU TAU \\xf0\\x9f\\x98\\x84 &amp;") == "aku itu aku ku tau"


def test_rukun_tetangga_is_kept_where_it_is_not_a_retweet(norm: Normaliser) -> None:
    assert norm("ketua RT 03 ngajakin coblos") == "ketua rt 03 ajak coblos"


def test_lower_case_user_is_a_word_not_an_anonymisation_token(norm: Normaliser) -> None:
    assert norm("user baru") == "user baru"


def test_marker_mode_keeps_what_the_classifier_uses() -> None:
    marked = Normaliser(markers=True)
    assert marked("USER bego!!!! 😄😄😄 https://x.co") == "<user> bego !! 😄😄 <url>"


def test_squeeze() -> None:
    assert squeeze("bangeeettt") == "bangeett"
    assert squeeze("bangeeettt", keep=1) == "banget"


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("memilih", "pilih"),
        ("mendukung", "dukung"),
        ("dipilih", "pilih"),
        ("pilihan", "pilih"),
        ("coblosnya", "coblos"),
        ("kampanyekan", "kampanye"),
        ("berkampanye", "kampanye"),
        ("membagikan", "bagi"),
        ("menyebarkan", "sebar"),
        ("menulis", "tulis"),
        ("kemenangan", "menang"),
        ("dikuasai", "kuasa"),
        ("sogokan", "sogok"),
        ("kemana", "mana"),
        # base words that only look affixed stay
        ("kepala", "kepala"),
        ("seragam", "seragam"),
        ("sembako", "sembako"),
        ("masalah", "masalah"),
        ("sekolah", "sekolah"),
        ("pagi", "pagi"),
        ("jalan", "jalan"),
        ("ikan", "ikan"),
    ],
)
def test_light_stemmer(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_stemming_normaliser(norm: Normaliser) -> None:
    assert Normaliser(stem=True)("kades mengajak warga memilih") == "kades ajak warga pilih"


def test_slang_file_format_is_checked() -> None:
    assert parse_slang("# c\nyg, yng = yang\ngpp = tidak apa apa\n") == {
        "yg": ("yang",),
        "yng": ("yang",),
        "gpp": ("tidak", "apa", "apa"),
    }
    with pytest.raises(ValueError, match="line 1"):
        parse_slang("yg yang")


def test_the_repository_lexicon_works_alone_and_the_shared_one_only_adds() -> None:
    own = Lexicon.load()
    assert own.slang["gak"] == ("tidak",)
    assert len(own.sources) == 1
    merged = Lexicon.load(extra_shared=True)
    assert merged.slang["gak"] == own.slang["gak"]  # the repository's entries win
    assert set(own.slang) <= set(merged.slang)
