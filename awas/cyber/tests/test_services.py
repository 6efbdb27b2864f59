"""Training from a CSV, bad input, activation and rollback, through the services and the command."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from awas.core.models import AuditEntry
from awas.cyber import selectors, services
from awas.cyber.classifier import is_probability
from awas.cyber.datasets import DatasetError, read_labelled_csv
from awas.cyber.models import ClassifierModel
from awas.cyber.tests.conftest import synthetic_rows

pytestmark = pytest.mark.django_db
LABELS = "politik_uang=uang,asn_partisanship=asn"


def _nothing_saved(data_dir: Path) -> bool:
    folder = data_dir / "models"
    leftovers = [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []
    return ClassifierModel.objects.count() == 0 and not leftovers


def test_train_saves_files_row_metrics_and_audit(data_dir: Path, write_csv: Callable[..., Path]) -> None:
    out = io.StringIO()
    call_command("cyber", "train", "--dataset", str(write_csv()), "--label-map", LABELS, stdout=out)
    row = ClassifierModel.objects.get()
    assert (row.name, row.version, row.labels, row.is_active) == (
        "cyber",
        1,
        ["politik_uang", "asn_partisanship"],
        False,
    )
    assert row.training_source["file"] == "posts.csv" and row.training_source["rows"] == 240
    assert row.training_source["label_map"] == "politik_uang=uang,asn_partisanship=asn"
    assert len(row.training_source["sha256"]) == 64
    assert row.metrics["heldout_size"] == 48
    assert row.metrics["labels"]["politik_uang"]["macro_f1"] > 0.9
    folder = selectors.model_folder(row)
    assert folder == data_dir / "models" / "cyber" / "v1"
    assert sorted(p.name for p in folder.iterdir()) == ["arrays.npz", "heldout.json", "model.json"]
    classifier = selectors.model_load(row)
    probs = classifier.predict_proba(["dikasih amplop 50rb biar pilih paslon", "hujan deras di desa"])
    assert is_probability(probs)
    assert probs[0, 0] > 0.5 > probs[1, 0]
    assert AuditEntry.objects.filter(action="cyber_model.trained", object_id=str(row.pk)).exists()
    assert "mean macro-F1" in out.getvalue()


def test_changed_model_files_are_refused(data_dir: Path, write_csv: Callable[..., Path]) -> None:
    row = services.model_train(write_csv(), label_map=LABELS)
    (selectors.model_folder(row) / "model.json").write_text("{}")
    with pytest.raises(selectors.ModelFilesChanged):
        selectors.model_load(row)


@pytest.mark.parametrize(
    ("rows", "kwargs", "message"),
    [
        (None, {"text_column": "isi"}, "text column 'isi' not found; the file has columns: text, uang, asn"),
        (None, {"label_map": "politik_uang=money"}, "column 'money' not found"),
        (
            [{"text": "ok", "uang": "1", "asn": "0"}, {"text": "  ", "uang": "0", "asn": "0"}],
            {},
            "row 2 (line 3): the text column 'text' is empty",
        ),
        (
            [{"text": "ok", "uang": "1", "asn": "0"}, {"text": "lagi", "uang": "ya dong", "asn": "0"}],
            {},
            "row 2 (line 3): column 'uang' has 'ya dong', expected 0 or 1",
        ),
        (None, {"label_map": "politik uang=uang"}, "label name 'politik uang'"),
    ],
)
def test_bad_csv_gives_row_errors_and_saves_nothing(
    data_dir: Path,
    write_csv: Callable[..., Path],
    rows: list[dict[str, str]] | None,
    kwargs: dict,
    message: str,
) -> None:
    options = {"label_map": LABELS, "text_column": "text", **kwargs}
    path = write_csv(rows)
    with pytest.raises(DatasetError) as info:
        services.model_train(path, **options)
    assert any(message in p for p in info.value.problems), info.value.problems
    assert _nothing_saved(data_dir)


def test_broken_encoding_names_the_rows(data_dir: Path, tmp_path: Path) -> None:
    rows = synthetic_rows(40)
    lines = ["text,uang,asn"] + [f"{r['text']},{r['uang']},{r['asn']}" for r in rows]
    lines[3] = "kades dukung paslon di caf\xe9,0,1"  # written as latin-1, read as utf-8
    path = tmp_path / "latin.csv"
    path.write_bytes("\n".join(lines).encode("latin-1"))
    with pytest.raises(CommandError) as info:
        call_command("cyber", "train", "--dataset", str(path), "--label-map", LABELS)
    assert "nothing was trained or saved" in str(info.value)
    assert "row 3 (line 4): byte 0xe9 is not valid utf-8 (try --encoding latin-1)" in str(info.value)
    assert _nothing_saved(data_dir)
    # the same file with the right encoding reads fine
    assert len(read_labelled_csv(path, label_map=LABELS, encoding="latin-1").texts) == 40


def test_other_separators_and_category_columns(tmp_path: Path) -> None:
    path = tmp_path / "hoax.csv"
    path.write_text('berita;tagging\n"satu\nberita";Hoax\ndua berita;Valid\n', encoding="utf-8")
    data = read_labelled_csv(path, label_map="hoaks=tagging:hoax", sep=";")
    assert data.texts == ["satu\nberita", "dua berita"]
    assert data.Y.tolist() == [[1], [0]]


def test_activation_refuses_a_worse_model_and_rollback_restores(
    data_dir: Path, write_csv: Callable[..., Path]
) -> None:
    good = services.model_train(write_csv(), label_map=LABELS)
    services.model_activate(good)
    # trained on a tenth of the posts: worse on its own held-out posts than the active model
    worse = services.model_train(write_csv(), label_map=LABELS, heldout=0.9)
    with pytest.raises(services.ActivationRefused, match="not activated"):
        services.model_activate(worse)
    good.refresh_from_db()
    assert good.is_active and not ClassifierModel.objects.get(pk=worse.pk).is_active
    with pytest.raises(services.ActivationRefused, match="reason"):
        services.model_activate(worse, force=True)
    services.model_activate(worse, force=True, reason="test of the override")
    assert selectors.active_model() == worse
    after = AuditEntry.objects.filter(action="cyber_model.activated").latest("seq").after
    assert after is not None
    assert after["forced"] is True and after["comparison"]["candidate"] < after["comparison"]["active"]

    out = io.StringIO()
    call_command("cyber", "rollback", stdout=out)
    assert "cyber v1 is active again" in out.getvalue()
    assert selectors.active_model() == good
    assert AuditEntry.objects.filter(action="cyber_model.rolled_back").count() == 1
    with pytest.raises(CommandError, match="replaced no earlier model"):
        call_command("cyber", "rollback")


def test_a_better_model_is_activated_through_the_command(
    data_dir: Path, write_csv: Callable[..., Path]
) -> None:
    small = services.model_train(write_csv(synthetic_rows(240, seed=3)), label_map=LABELS, heldout=0.85)
    services.model_activate(small)
    out = io.StringIO()
    call_command(
        "cyber", "train", "--dataset", str(write_csv()), "--label-map", LABELS, "--activate", stdout=out
    )
    assert "cyber v2 is now active" in out.getvalue()
    active = selectors.active_model()
    assert active is not None and active.version == 2
    listing = io.StringIO()
    call_command("cyber", "models", stdout=listing)
    assert "* v2" in listing.getvalue() and "  v1" in listing.getvalue()
