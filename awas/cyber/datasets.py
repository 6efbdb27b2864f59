"""Reading a labelled CSV for training: every problem is reported with its row, and nothing is
returned unless the whole file is usable.

The label map says how the file's columns become Awas labels:
``sara_hate=HS_Religion|HS_Race,abusive=Abusive,hoaks=tagging:Hoax``

* ``label=COLUMN``: the column holds 0/1 (also true/false, yes/no, ya/tidak, y/n);
* ``label=COLUMN:VALUE``: positive where the column equals VALUE (case ignored), negative otherwise;
* ``A|B``: positive when any alternative is.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

TRUE_VALUES = frozenset({"1", "1.0", "true", "yes", "ya", "y", "t"})
FALSE_VALUES = frozenset({"0", "0.0", "false", "no", "tidak", "n", "f"})
LABEL_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
MAX_REPORTED = 50
_SURROGATE = re.compile("[\udc80-\udcff]")


class DatasetError(ValueError):
    """The file cannot be used; ``problems`` lists every problem found (row by row)."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        shown = self.problems[:MAX_REPORTED]
        more = len(self.problems) - len(shown)
        text = "\n".join(shown) + (f"\n… and {more} more problems" if more > 0 else "")
        super().__init__(text)


@dataclass(frozen=True)
class LabelRule:
    """One label: positive when any (column, value) alternative holds; value None means 0/1."""

    name: str
    alternatives: tuple[tuple[str, str | None], ...]

    def describe(self) -> str:
        return "|".join(col if value is None else f"{col}:{value}" for col, value in self.alternatives)


def parse_label_map(text: str) -> list[LabelRule]:
    """``name=COL|COL:VALUE,name2=COL`` → rules, or DatasetError naming each bad part."""
    rules: list[LabelRule] = []
    problems: list[str] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        if "=" not in part:
            problems.append(f"label map: {part!r} should be 'label=COLUMN' (or COLUMN:VALUE, A|B)")
            continue
        name, expr = (s.strip() for s in part.split("=", 1))
        if not LABEL_NAME.match(name):
            problems.append(
                f"label map: label name {name!r} must be letters, digits and _, starting with a letter"
            )
            continue
        alternatives: list[tuple[str, str | None]] = []
        for alt in (a.strip() for a in expr.split("|")):
            if not alt:
                problems.append(f"label map: {part!r} has an empty column")
                continue
            if ":" in alt:
                column, value = (s.strip() for s in alt.split(":", 1))
                alternatives.append((column, value))
            else:
                alternatives.append((alt, None))
        if any(r.name == name for r in rules):
            problems.append(f"label map: label {name!r} is given twice")
        if alternatives:
            rules.append(LabelRule(name, tuple(alternatives)))
    if not rules and not problems:
        problems.append("label map: no labels given")
    if problems:
        raise DatasetError(problems)
    return rules


@dataclass
class Dataset:
    texts: list[str]
    Y: np.ndarray
    labels: list[str]
    source: dict[str, Any] = field(default_factory=dict)


def _decode(raw: bytes, encoding: str) -> str:
    try:
        codec = "utf-8-sig" if encoding.lower().replace("_", "-") in {"utf-8", "utf8"} else encoding
        return raw.decode(codec, errors="surrogateescape")
    except LookupError as exc:
        raise DatasetError([f"unknown encoding {encoding!r}"]) from exc


def read_labelled_csv(
    path: Path,
    *,
    label_map: str | Sequence[LabelRule],
    text_column: str | None = None,
    encoding: str = "utf-8",
    sep: str = ",",
) -> Dataset:
    """The posts and their 0/1 labels. Raises DatasetError with every problem, row by row."""
    rules = parse_label_map(label_map) if isinstance(label_map, str) else list(label_map)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DatasetError([f"cannot read {path}: {exc.strerror or exc}"]) from exc
    text = _decode(raw, encoding)
    sep = "\t" if sep in {"\\t", "tab"} else sep
    if len(sep) != 1:
        raise DatasetError([f"separator must be one character, got {sep!r}"])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        header = next(reader)
    except StopIteration:
        raise DatasetError([f"{path.name} is empty"]) from None
    except csv.Error as exc:
        raise DatasetError([f"line 1: {exc}"]) from exc
    header = [h.strip() for h in header]
    problems: list[str] = []
    if any(_SURROGATE.search(h) for h in header):
        problems.append(f"header: not valid {encoding} text (try --encoding latin-1)")
    columns = {name: i for i, name in enumerate(header)}
    if text_column is None:
        text_column = next(
            (c for c in ("text", "Tweet", "tweet", "berita", "content", "isi") if c in columns), ""
        )
        if not text_column:
            problems.append(
                f"no text column given (--text-column); the file has columns: {', '.join(header)}"
            )
    elif text_column not in columns:
        problems.append(f"text column {text_column!r} not found; the file has columns: {', '.join(header)}")
    for rule in rules:
        for column, _value in rule.alternatives:
            if column not in columns:
                problems.append(
                    f"label {rule.name!r}: column {column!r} not found; "
                    f"the file has columns: {', '.join(header)}"
                )
    if problems:
        raise DatasetError(problems)

    text_index = columns[text_column]
    texts: list[str] = []
    rows_y: list[list[int]] = []
    row_number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(f"line {reader.line_num}: {exc}")
            break
        row_number += 1
        where = f"row {row_number} (line {reader.line_num})"
        if not row or all(not c.strip() for c in row):
            continue  # blank line
        if len(row) != len(header):
            problems.append(f"{where}: {len(row)} fields, the header has {len(header)} (check --sep)")
            continue
        if any(_SURROGATE.search(c) for c in row):
            bad = next(_SURROGATE.search(c) for c in row if _SURROGATE.search(c))
            byte = ord(bad.group()) - 0xDC00 if bad else 0
            problems.append(f"{where}: byte 0x{byte:02x} is not valid {encoding} (try --encoding latin-1)")
            continue
        post = row[text_index]
        if not post.strip():
            problems.append(f"{where}: the text column {text_column!r} is empty")
            continue
        labels_of_row: list[int] = []
        for rule in rules:
            positive = False
            for column, value in rule.alternatives:
                cell = row[columns[column]].strip()
                if value is None:
                    lowered = cell.lower()
                    if lowered in TRUE_VALUES:
                        positive = True
                    elif lowered not in FALSE_VALUES:
                        problems.append(f"{where}: column {column!r} has {cell!r}, expected 0 or 1")
                elif not cell:
                    problems.append(f"{where}: column {column!r} is empty")
                elif cell.casefold() == value.casefold():
                    positive = True
            labels_of_row.append(int(positive))
        texts.append(post)
        rows_y.append(labels_of_row)
    if not texts and not problems:
        problems.append(f"{path.name} has a header but no rows")
    if problems:
        raise DatasetError(problems)
    return Dataset(
        texts=texts,
        Y=np.asarray(rows_y, dtype=np.int64).reshape(len(texts), len(rules)),
        labels=[r.name for r in rules],
        source={
            "file": path.name,
            "path": str(path),
            "sha256": hashlib.sha256(raw).hexdigest(),
            "rows": len(texts),
            "encoding": encoding,
            "sep": sep,
            "text_column": text_column,
            "label_map": ",".join(f"{r.name}={r.describe()}" for r in rules),
        },
    )
