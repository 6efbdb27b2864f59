"""Indicator suggestions: the phrase list, and the model trained on the office's reviewed reports."""

from __future__ import annotations

import random

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from awas.supervision import suggest

ASN_TEXTS = [
    "Seorang ASN guru SD ikut berkampanye untuk paslon 01 di balai desa.",
    "Kepala desa Putat Kidul memberi like dan komentar dukungan pada unggahan paslon di Facebook.",
    "PNS Dinas Pertanian berfoto bersama paslon sambil mengacungkan simbol jari.",
    "Camat hadir dalam deklarasi dukungan dan menyatakan mendukung pasangan calon 02.",
    "Diduga terjadi ketidaknetralan aparatur sipil negara dalam kegiatan kampanye.",
]
MONEY_TEXTS = [
    "Tim sukses membagikan amplop berisi uang Rp 50.000 kepada warga.",
    "Warga menyebut ada serangan fajar menjelang pemungutan suara.",
    "Relawan paslon membagi-bagikan sembako dan meminta warga memilih paslon 02.",
    "Ditemukan pembagian uang transport 100rb kepada peserta pertemuan agar mencoblos nomor 1.",
    "Dugaan politik uang oleh tim kampanye di Dusun Krajan.",
]
QUIET_TEXTS = [
    "PKD mengawasi kampanye tatap muka; kegiatan berjalan tertib dan tidak ada dugaan pelanggaran.",
    "Pengawasan pemutakhiran data pemilih di kantor desa berjalan lancar.",
    "Rapat koordinasi dengan kepala desa dan camat tentang persiapan TPS.",
]


def indicators(text: str) -> set[int]:
    return {s.indicator for s in suggest.suggest(text)}


def test_the_phrase_list_covers_all_61_indicators():
    entries = suggest.lexicon()
    assert sorted(entries) == list(range(1, 62))
    assert all(entry.phrases for entry in entries.values())


@pytest.mark.parametrize("text", ASN_TEXTS)
def test_asn_neutrality_is_suggested(text):
    assert 12 in indicators(text)


@pytest.mark.parametrize("text", MONEY_TEXTS)
def test_politik_uang_is_suggested(text):
    assert 54 in indicators(text)


@pytest.mark.parametrize("text", QUIET_TEXTS)
def test_an_uneventful_report_suggests_neither(text):
    assert not indicators(text) & {12, 54}


def test_the_reason_names_the_words_found():
    (first,) = [s for s in suggest.suggest(ASN_TEXTS[1]) if s.indicator == 12]
    assert first.source == "lexicon"
    assert "kepala desa" in first.matched and "like" in first.matched
    assert first.reason.startswith("frasa: ")


def test_words_of_a_combination_must_share_a_sentence():
    assert 12 not in indicators("Seorang ASN hadir di kantor. Paslon lewat di jalan desa.")
    assert 12 in indicators("Seorang ASN hadir bersama paslon di kantor.")


def test_normalise():
    assert suggest.normalise("Bagi-bagi AMPLOP Rp 50.000,- & bagi2 sembako") == (
        "bagi bagi amplop nominaluang bagi bagi sembako"
    )
    assert suggest.sentences("Rp 50.000 dibagikan. Selesai") == ["nominaluang dibagikan", "selesai"]


def test_a_broken_phrase_list_is_refused():
    with pytest.raises(suggest.LexiconError, match="format"):
        suggest.lexicon_parse({"format": "other"})
    with pytest.raises(suggest.LexiconError, match="missing"):
        suggest.lexicon_parse(
            {"format": suggest.LEXICON_FORMAT, "indicators": {1: {"name": "x", "phrases": ["a"]}}}
        )


def synthetic_reports(n: int, seed: int = 7) -> tuple[list[str], list[set[int]]]:
    """Reviewed reports of three kinds, worded so that a model can learn them and the phrase list
    cannot (the office's own words: 'nyoblos', 'ngasih duit')."""
    rng = random.Random(seed)
    kinds = [
        ("pak guru sekolah ikut nyoblos dukung nomor siji di grup wa warga", {12}),
        ("tim ngasih duit ke warga biar nyoblos nomor loro", {54}),
        ("patroli biasa situasi kondusif tidak ada kejadian", set()),
    ]
    texts, labels = [], []
    for i in range(n):
        words, label = kinds[i % 3]
        filler = " ".join(
            rng.choice(["pagi", "sore", "dusun", "krajan", "rt", "rw", "jalan"]) for _ in range(5)
        )
        texts.append(f"{words} {filler}")
        labels.append(label)
    return texts, labels


def test_model_fit_and_npz_round_trip_without_pickle():
    texts, labels = synthetic_reports(45)
    fitted, positives = suggest.model_fit(texts, labels)
    assert set(fitted.indicators) == {12, 54}
    assert positives == {12: 15, 54: 15}
    loaded = suggest.FittedModel.from_bytes(fitted.to_bytes())
    probabilities = loaded.probabilities(["tim ngasih duit ke warga", "situasi kondusif"])
    by_indicator = dict(zip(loaded.indicators, probabilities[0], strict=True))
    assert by_indicator[54] > suggest.MODEL_THRESHOLD > by_indicator[12]
    assert max(probabilities[1]) < suggest.MODEL_THRESHOLD
    found = suggest.suggest("warga cerita tim ngasih duit biar nyoblos", loaded)
    assert [(s.indicator, s.source) for s in found] == [(54, "model")]
    assert found[0].reason.startswith("model: ")


def test_model_fit_needs_positives_and_negatives():
    with pytest.raises(ValueError, match="enough"):
        suggest.model_fit(["a b c"] * 10, [{12}] * 10)


@pytest.mark.django_db
def test_train_command_says_why_it_did_not_train():
    with pytest.raises(CommandError, match=r"\b0\b.*\b40\b"):
        call_command("supervision", "train")
