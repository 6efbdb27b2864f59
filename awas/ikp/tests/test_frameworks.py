"""IKP frameworks: the shipped IKP 2024 definition, copies, edits, publishing, YAML round trip."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
import yaml
from django.utils import translation

from awas.core.models import AuditEntry
from awas.ikp.models import Dimension, Framework, Indicator, SeverityLevel, SubDimension
from awas.ikp.scoring import CategoryRule, score
from awas.ikp.selectors import category_rule, framework_structure, severity_weights
from awas.ikp.services import (
    FrameworkDefinitionError,
    FrameworkReadOnly,
    builtin_definition,
    framework_copy,
    framework_definition,
    framework_export_yaml,
    framework_import_yaml,
    framework_load_builtin,
    framework_publish,
    framework_set_weights,
    framework_update,
    parse_yaml,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _source_language():
    """These tests match the messages in their source language (English); the UI shows them translated."""
    with translation.override("en"):
        yield


@pytest.fixture
def ikp2024() -> Framework:
    return framework_load_builtin()


# --- the shipped framework ---------------------------------------------------------------------


def test_the_shipped_framework_has_the_ikp_2024_structure(ikp2024):
    # DOMAIN.md §1.1: 4 dimensi, 12 subdimensi, 61 indikator; 16 / 24 / 15 / 6 per dimension.
    assert ikp2024.dimensions.count() == 4
    assert SubDimension.objects.filter(dimension__framework=ikp2024).count() == 12
    assert ikp2024.indicators.count() == 61
    per_dimension = Counter(ikp2024.indicators.values_list("subdimension__dimension__number", flat=True))
    assert [per_dimension[n] for n in (1, 2, 3, 4)] == [16, 24, 15, 6]
    assert list(ikp2024.dimensions.values_list("name", flat=True)) == [
        "Konteks Sosial dan Politik",
        "Penyelenggaraan Pemilu",
        "Kontestasi",
        "Partisipasi",
    ]
    subdimensions_per_dimension = Counter(
        SubDimension.objects.filter(dimension__framework=ikp2024).values_list("dimension__number", flat=True)
    )
    assert [subdimensions_per_dimension[n] for n in (1, 2, 3, 4)] == [3, 5, 2, 2]
    assert sorted(ikp2024.indicators.values_list("number", flat=True)) == list(range(1, 62))


def test_indicator_12_is_asn_tni_polri_neutrality(ikp2024):
    indicator = ikp2024.indicators.get(number=12)
    assert "ASN/TNI/POLRI" in indicator.name.upper()
    assert "netral" in indicator.name.lower()
    assert indicator.subdimension.name == "Otoritas Penyelenggara Negara"
    assert indicator.subdimension.dimension.code == "sospol"
    assert "politik uang" in ikp2024.indicators.get(number=54).name.lower()


def test_the_shipped_framework_defaults(ikp2024):
    assert ikp2024.status == Framework.Status.PUBLISHED and ikp2024.read_only and not ikp2024.editable
    assert ikp2024.normalisation == "minmax"
    assert category_rule(ikp2024) == CategoryRule("mean_sd", 1.0, (13.47, 49.33))
    assert severity_weights(ikp2024) == {"rendah": 1.0, "sedang": 2.0, "tinggi": 3.0}
    assert set(ikp2024.indicators.values_list("weight", flat=True)) == {1.0}
    assert set(ikp2024.dimensions.values_list("weight", flat=True)) == {1.0}


def test_loading_the_builtin_twice_creates_it_once(ikp2024):
    again = framework_load_builtin()
    assert again.pk == ikp2024.pk
    assert Framework.objects.count() == 1
    [entry] = AuditEntry.objects.filter(action="ikp_framework.created")
    assert entry.object_id == str(ikp2024.pk)
    assert entry.after is not None
    assert entry.after["source"] == "builtin" and entry.after["indicators"] == 61


def test_the_structure_for_the_engine(ikp2024):
    structure = framework_structure(ikp2024)
    assert structure.n_indicators == 61 and structure.n_dimensions == 4
    assert structure.indicator_numbers.tolist() == list(range(1, 62))
    assert np.bincount(structure.indicator_dimension).tolist() == [16, 24, 15, 6]
    assert structure.dimension_codes == ("sospol", "penyelenggaraan", "kontestasi", "partisipasi")
    np.testing.assert_allclose(structure.effective_weights().sum(), 1.0)
    # Kejadian carry the indicator number: politik uang (54) in desa 0, neutrality (12) in desa 1.
    weights = severity_weights(ikp2024)
    result = score(
        [0, 1, 1],
        structure.indicator_index([54, 12, 12]),
        [weights["tinggi"], weights["rendah"], 1.0],
        3,
        structure,
    )
    assert result.indicator_values[0, 53] == 3 and result.indicator_values[1, 11] == 2
    assert result.top_indicators[1, 0] == 11


# --- read-only and published frameworks refuse edits -------------------------------------------


def test_the_shipped_framework_cannot_be_edited(ikp2024):
    entries = AuditEntry.objects.count()
    with pytest.raises(FrameworkReadOnly, match="copy it"):
        framework_set_weights(ikp2024, None, indicators={12: 5.0})
    with pytest.raises(FrameworkReadOnly):
        framework_update(ikp2024, None, category_method="cutoffs")
    with pytest.raises(FrameworkReadOnly):
        framework_publish(ikp2024, None)
    assert ikp2024.indicators.get(number=12).weight == 1.0
    assert Framework.objects.get(pk=ikp2024.pk).category_method == "mean_sd"
    assert AuditEntry.objects.count() == entries


def test_a_published_copy_is_frozen_too(ikp2024):
    draft = framework_copy(ikp2024, "2024-malang", None)
    framework_publish(draft, None)
    with pytest.raises(FrameworkReadOnly, match="published"):
        framework_set_weights(draft, None, dimensions={"kontestasi": 2.0})


# --- copy, edit, export, import --------------------------------------------------------------------


def test_copy_edit_export_import_round_trip(ikp2024, make_user, malang):
    admin = make_user("admin", "35.07", username="admin-ikp")
    draft = framework_copy(ikp2024, "2024-malang", admin, name="IKP Kab. Malang")
    assert draft.status == Framework.Status.DRAFT and not draft.read_only and draft.editable
    assert draft.based_on == ikp2024
    assert draft.indicators.count() == 61

    framework_set_weights(
        draft,
        admin,
        indicators={12: 3.0, 54: 2.5},
        dimensions={"partisipasi": 0.5},
        severity_levels={"tinggi": 4.0},
    )
    framework_update(draft, admin, category_method="cutoffs", normalisation="percentile")
    draft.refresh_from_db()
    assert draft.indicators.get(number=12).weight == 3.0
    assert draft.dimensions.get(code="partisipasi").weight == 0.5
    assert severity_weights(draft)["tinggi"] == 4.0
    assert category_rule(draft).method == "cutoffs"
    # The shipped framework is untouched by edits of its copy.
    assert ikp2024.indicators.get(number=12).weight == 1.0

    entry = AuditEntry.objects.get(action="ikp_framework.weights_changed")
    assert entry.actor == admin
    assert entry.before == {
        "indicator 12": 1.0,
        "indicator 54": 1.0,
        "dimension partisipasi": 1.0,
        "severity tinggi": 3.0,
    }
    assert entry.after == {
        "indicator 12": 3.0,
        "indicator 54": 2.5,
        "dimension partisipasi": 0.5,
        "severity tinggi": 4.0,
    }
    update = AuditEntry.objects.get(action="ikp_framework.updated")
    assert update.before == {"category_method": "mean_sd", "normalisation": "minmax"}
    assert update.after == {"category_method": "cutoffs", "normalisation": "percentile"}

    text = framework_export_yaml(draft)
    imported = framework_import_yaml(text, admin, version="2024-malang-2")
    assert imported.status == Framework.Status.DRAFT and imported.version == "2024-malang-2"
    exported, reimported = framework_definition(draft), framework_definition(imported)
    assert reimported == {**exported, "version": "2024-malang-2"}
    assert framework_export_yaml(imported).replace("2024-malang-2", "2024-malang") == text
    np.testing.assert_allclose(
        framework_structure(imported).effective_weights(), framework_structure(draft).effective_weights()
    )


def test_the_shipped_yaml_and_its_export_describe_the_same_framework(ikp2024):
    assert parse_yaml(framework_export_yaml(ikp2024)) == builtin_definition()


def test_importing_a_version_that_exists_is_refused(ikp2024):
    with pytest.raises(FrameworkDefinitionError, match="already exists"):
        framework_import_yaml(framework_export_yaml(ikp2024), None)
    with pytest.raises(FrameworkDefinitionError, match="already exists"):
        framework_copy(ikp2024, "2024", None)


def test_publishing_a_draft(ikp2024):
    draft = framework_copy(ikp2024, "2025", None)
    framework_publish(draft, None)
    draft.refresh_from_db()
    assert draft.status == Framework.Status.PUBLISHED and not draft.editable
    assert AuditEntry.objects.filter(action="ikp_framework.published", object_id=str(draft.pk)).exists()


def test_an_edit_that_empties_a_dimension_is_refused_and_rolled_back(ikp2024):
    draft = framework_copy(ikp2024, "2024-x", None)
    with pytest.raises(FrameworkDefinitionError, match="positive weight"):
        framework_set_weights(draft, None, indicators={n: 0.0 for n in range(56, 62)})
    assert set(draft.indicators.filter(number__gte=56).values_list("weight", flat=True)) == {1.0}
    assert not AuditEntry.objects.filter(action="ikp_framework.weights_changed").exists()
    with pytest.raises(FrameworkDefinitionError, match="must not be negative"):
        framework_set_weights(draft, None, dimensions={"kontestasi": -1.0})
    with pytest.raises(FrameworkDefinitionError, match="No indicator \\[99\\]"):
        framework_set_weights(draft, None, indicators={99: 1.0})
    with pytest.raises(FrameworkDefinitionError, match="cannot be edited"):
        framework_update(draft, None, read_only=True)


# --- validation of imported files ---------------------------------------------------------------------


def _definition_text(**changes) -> str:
    data = yaml.safe_load(framework_export_yaml_text())
    for path, value in changes.items():
        target = data
        keys = path.split("__")
        for key in keys[:-1]:
            target = target[int(key)] if key.isdigit() else target[key]
        last = keys[-1]
        if value is KeyError:
            del target[last]
        else:
            target[int(last) if last.isdigit() else last] = value
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def framework_export_yaml_text() -> str:
    from importlib import resources

    return resources.files("awas.ikp").joinpath("frameworks/ikp2024.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"dimensions__0__subdimensions__0__indicators__0__weight": -1},
            "indicators\\[1\\].weight: must not be negative",
        ),
        ({"dimensions__1__weight": "heavy"}, "dimensions\\[2\\].weight: must be a number"),
        ({"dimensions__0__subdimensions__1__indicators__0__number": 12}, "indicator 12 is already in"),
        ({"dimensions__0__subdimensions__0__indicators__0__wieght": 1}, "unknown key 'wieght'"),
        ({"category_rule__method": "zscore"}, "category_rule.method: must be one of"),
        ({"category_rule__cutoffs": {"sedang": 60, "tinggi": 40}}, "need sedang <= tinggi"),
        ({"normalisation": "log"}, "normalisation: must be one of"),
        ({"severity_levels__1__code": "rendah"}, "'rendah' is used twice"),
        ({"dimensions": []}, "dimensions: must be a non-empty list"),
        ({"code": "ikp 2024"}, "code: may hold only"),
        ({"version": KeyError}, "'version' is missing"),
        ({"format": "something/2"}, "format: must be"),
    ],
)
def test_invalid_definitions_are_refused_with_their_place(changes, message):
    with pytest.raises(FrameworkDefinitionError, match=message):
        framework_import_yaml(_definition_text(**changes), None)
    assert not Framework.objects.exists()


def test_a_dimension_with_no_positive_weight_is_refused():
    dims = yaml.safe_load(framework_export_yaml_text())["dimensions"]
    zeros = [
        {**sub, "indicators": [{**ind, "weight": 0} for ind in sub["indicators"]]}
        for sub in dims[3]["subdimensions"]
    ]
    with pytest.raises(FrameworkDefinitionError, match="dimensions\\[4\\]: needs at least one indicator"):
        framework_import_yaml(_definition_text(dimensions__3__subdimensions=zeros), None, version="x")


def test_every_problem_is_reported_at_once():
    text = _definition_text(normalisation="log", dimensions__0__weight=-2)
    with pytest.raises(FrameworkDefinitionError) as caught:
        parse_yaml(text)
    assert len(caught.value.messages) == 2


def test_broken_yaml_is_refused():
    with pytest.raises(FrameworkDefinitionError, match="Not valid YAML"):
        framework_import_yaml("dimensions: [unclosed", None)
    with pytest.raises(FrameworkDefinitionError, match="must be a mapping"):
        framework_import_yaml("- just\n- a list\n", None)


def test_models_hold_every_part(ikp2024):
    assert Dimension.objects.filter(framework=ikp2024).count() == 4
    assert (
        Indicator.objects.filter(framework=ikp2024, subdimension__dimension__framework=ikp2024).count() == 61
    )
    assert list(SeverityLevel.objects.filter(framework=ikp2024).values_list("code", flat=True)) == [
        "rendah",
        "sedang",
        "tinggi",
    ]
