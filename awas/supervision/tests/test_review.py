"""A person decides every suggested indicator; only then are kejadian recorded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from awas.conftest import GONDANGLEGI, PUTAT_KIDUL
from awas.core.models import AuditEntry
from awas.ikp.models import Kejadian
from awas.regions.models import Region
from awas.supervision import selectors, services
from awas.supervision.models import Decision, SuggestionDecision
from awas.supervision.tests import samples
from awas.supervision.tests.conftest import PUTAT_LOR

DAY = dt.date(2024, 10, 16)


def file_form(actor, region_code, values, *, is_rekap=False, tps_number=None):
    location = services.Location(
        region=Region.objects.get(code=region_code), tps_number=tps_number, is_rekap=is_rekap
    )
    return services.form_a_create(actor=actor, location=location, data=values)


def choice(indicator, region_code=PUTAT_KIDUL, severity=2, day=DAY):
    return services.KejadianChoice(
        indicator=indicator, severity=severity, date=day, region=Region.objects.get(code=region_code)
    )


def test_a_typed_report_is_numbered_and_gets_suggestions(pkd):
    report = file_form(pkd, PUTAT_KIDUL, samples.ASN_VALUES)
    assert report.number == "001/LHP/PM.01.02/35.07.10.2001/10/2024"
    second = file_form(pkd, PUTAT_KIDUL, samples.MONEY_VALUES)
    assert second.number == "002/LHP/PM.01.02/35.07.10.2001/10/2024"
    assert 12 in set(report.suggestions.values_list("suggested_indicator", flat=True))
    assert 54 in set(second.suggestions.values_list("suggested_indicator", flat=True))
    assert not Kejadian.objects.exists()  # nothing without a person


def test_review_records_kejadian_and_logs_every_decision(pkd):
    report = file_form(
        pkd,
        PUTAT_KIDUL,
        {
            **samples.ASN_VALUES,
            "uraian": samples.ASN_VALUES["uraian"] + " Tim sukses juga membagikan amplop berisi uang.",
        },
    )
    pending = {s.suggested_indicator: s for s in report.suggestions.all()}
    assert {12, 54} <= set(pending)
    items = []
    for indicator, suggestion in pending.items():
        if indicator == 12:
            items.append(services.ReviewItem(suggestion, True, choice(12, severity=3)))
        elif indicator == 54:
            items.append(services.ReviewItem(suggestion, True, choice(13)))  # changed by the reviewer
        else:
            items.append(services.ReviewItem(suggestion, False))
    made = services.kejadian_review(form=report, actor=pkd, items=items, additions=[choice(44, severity=1)])

    assert sorted(k.indicator_number for k in made) == [12, 13, 44]
    kejadian = Kejadian.objects.get(indicator_number=12)
    assert (kejadian.region_id, kejadian.date, kejadian.severity, kejadian.counted) == (
        PUTAT_KIDUL,
        DAY,
        3,
        True,
    )
    assert kejadian.tahapan == "kampanye" and kejadian.source_ref == f"form_a:{report.pk}"
    assert kejadian.created_by == pkd
    decisions = {
        (d.suggested_indicator, d.source, d.decision, d.final_indicator) for d in report.suggestions.all()
    }
    assert (12, "lexicon", "accepted", 12) in decisions
    assert (54, "lexicon", "changed", 13) in decisions
    assert (None, "reviewer", "added", 44) in decisions
    assert all(d.decision != Decision.PENDING for d in report.suggestions.all())
    report.refresh_from_db()
    assert report.kejadian_reviewed_by == pkd
    assert AuditEntry.objects.filter(action="form_a.indicators_reviewed", object_id=str(report.pk)).exists()
    with pytest.raises(ValidationError):
        services.kejadian_review(form=report, actor=pkd, items=[], additions=[])


def test_a_recap_report_records_kejadian_that_are_not_counted(panwascam):
    report = file_form(panwascam, GONDANGLEGI, samples.ASN_VALUES, is_rekap=True)
    assert report.number.split("/")[3] == GONDANGLEGI
    suggestion = report.suggestions.get(suggested_indicator=12)
    others = [services.ReviewItem(s, False) for s in report.suggestions.exclude(pk=suggestion.pk)]
    made = services.kejadian_review(
        form=report,
        actor=panwascam,
        items=[services.ReviewItem(suggestion, True, choice(12, PUTAT_LOR)), *others],
        additions=[choice(54, PUTAT_KIDUL)],
    )
    assert {(k.indicator_number, k.region_id, k.counted) for k in made} == {
        (12, PUTAT_LOR, False),
        (54, PUTAT_KIDUL, False),
    }


def test_a_desa_report_cannot_place_kejadian_in_another_desa(pkd):
    report = file_form(pkd, PUTAT_KIDUL, samples.ASN_VALUES)
    items = [
        services.ReviewItem(
            s, s.suggested_indicator == 12, choice(12, PUTAT_LOR) if s.suggested_indicator == 12 else None
        )
        for s in report.suggestions.all()
    ]
    with pytest.raises(ValidationError, match="Putat Lor"):
        services.kejadian_review(form=report, actor=pkd, items=items)
    assert not Kejadian.objects.exists()


def test_review_must_answer_every_suggestion(pkd):
    report = file_form(pkd, PUTAT_KIDUL, samples.ASN_VALUES)
    with pytest.raises(ValidationError):
        services.kejadian_review(form=report, actor=pkd, items=[], additions=[choice(12)])
    assert not Kejadian.objects.exists()


def test_acceptance_statistics_overall_per_source_and_indicator(pkd):
    first = file_form(pkd, PUTAT_KIDUL, samples.ASN_VALUES)
    second = file_form(pkd, PUTAT_KIDUL, samples.MONEY_VALUES)
    third = file_form(pkd, PUTAT_KIDUL, samples.ASN_VALUES)
    for report, keep in ((first, {12: 12}), (second, {54: 54}), (third, {12: 15})):
        items = [
            services.ReviewItem(
                s,
                s.suggested_indicator in keep,
                choice(keep[s.suggested_indicator]) if s.suggested_indicator in keep else None,
            )
            for s in report.suggestions.all()
        ]
        services.kejadian_review(form=report, actor=pkd, items=items)
    stats = selectors.suggestion_stats()
    decided = SuggestionDecision.objects.exclude(decision=Decision.PENDING).count()
    assert stats.overall.decided == decided
    assert stats.overall.accepted == 2 and stats.overall.changed == 1
    assert stats.overall.removed == decided - 3
    assert stats.by_indicator[12].accepted == 1 and stats.by_indicator[12].changed == 1
    assert stats.by_indicator[12].rate == 0.5
    assert stats.by_indicator[54].rate == 1.0
    assert set(stats.by_source) == {"lexicon"}
    assert stats.by_source["lexicon"].decided == decided


def test_training_needs_enough_reviewed_reports_then_suggests_from_the_model(pkd, monkeypatch):
    from awas.supervision import suggest

    monkeypatch.setattr(suggest, "MIN_REVIEWED_REPORTS", 6)
    monkeypatch.setattr(suggest, "MIN_POSITIVES", 3)
    result = services.suggestion_model_train(actor=pkd)
    assert not result.trained and "0" in result.message

    # The office's own wording, which the phrase list does not know.
    own = {
        **samples.ASN_VALUES,
        "uraian": "Pak guru sekolah ikut nyoblos dukung nomor siji di grup wa.",
        "pelanggaran_peristiwa": "",
        "pelanggaran_uraian": "",
    }
    quiet = {
        **samples.ASN_VALUES,
        "uraian": "Patroli biasa, situasi kondusif.",
        "pelanggaran_peristiwa": "",
        "pelanggaran_uraian": "",
    }
    for values, label in [(own, 12)] * 4 + [(quiet, None)] * 4:
        report = file_form(pkd, PUTAT_KIDUL, values)
        items = [services.ReviewItem(s, False) for s in report.suggestions.all()]
        services.kejadian_review(
            form=report, actor=pkd, items=items, additions=[choice(label)] if label else []
        )
    result = services.suggestion_model_train(actor=pkd)
    assert result.trained and result.model is not None
    assert result.model.indicators == [12] and result.positives == {12: 4}

    fresh = file_form(pkd, PUTAT_KIDUL, own)
    (suggestion,) = fresh.suggestions.filter(suggested_indicator=12)
    assert suggestion.source == "model" and suggestion.model == result.model
    assert suggestion.reason.startswith("model: ")
