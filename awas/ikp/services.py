"""Writes of the IKP app, each in one transaction with its audit entry:

- frameworks: loading the shipped one, copying, editing drafts, publishing, YAML and Excel
  import/export;
- kejadian (IKP incidents): direct entry, batches (Form A, demo), the Excel import, edits, deletes;
- score runs and sensitivity analyses (computed from kejadian, stored so every score is traceable).

The YAML format (``format: awas-ikp-framework/1``) is the one of ``frameworks/ikp2024.yaml``; export
and import round-trip it. Validation collects every problem with its place in the file, so an
officer fixing a file sees all mistakes at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, cast

import numpy as np
import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awas.core.roles import Level
from awas.core.scope import region_q
from awas.core.services.audit import audit_record, changed, snapshot
from awas.ikp import excel, selectors
from awas.ikp.models import (
    Dimension,
    Framework,
    Indicator,
    Kejadian,
    ScoreRun,
    SensitivityRun,
    SeverityLevel,
    SubDimension,
    Tahapan,
)
from awas.ikp.scoring import Normalisation, score
from awas.ikp.sensitivity import sensitivity
from awas.regions.models import Region

FORMAT = "awas-ikp-framework/1"
BUILTIN_RESOURCE = "frameworks/ikp2024.yaml"

_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
_EDITABLE_FIELDS = (
    "name",
    "description",
    "normalisation",
    "category_method",
    "sd_multiplier",
    "cutoff_sedang",
    "cutoff_tinggi",
)


class FrameworkDefinitionError(ValidationError):
    """A framework definition (YAML or an edit) breaks a rule; ``messages`` lists every problem."""


class FrameworkReadOnly(ValidationError):
    """An edit of the shipped framework or of a published one."""


# --- validation of the plain-data form (what YAML holds) ---------------------------------------


class _Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}" if where else message)

    def mapping(
        self, value: Any, where: str, required: set[str], optional: set[str]
    ) -> dict[str, Any] | None:
        if not isinstance(value, Mapping):
            self.error(where, _("must be a mapping (key: value)"))
            return None
        for key in sorted(required - value.keys()):
            self.error(where, _("'%(key)s' is missing") % {"key": key})
        for key in sorted(set(value.keys()) - required - optional, key=str):
            self.error(where, _("unknown key '%(key)s'") % {"key": key})
        return dict(value)

    def text(self, value: Any, where: str, *, slug: bool = False, blank: bool = False) -> str:
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)  # a version written as 2024 or 1.1
        if not isinstance(value, str) or (not blank and not value.strip()):
            self.error(where, _("must be a non-empty text"))
            return ""
        value = value.strip()
        if slug and not _SLUG.match(value):
            self.error(where, _("may hold only letters, digits, '-' and '_'"))
        return value

    def number(self, value: Any, where: str, *, positive: bool = False) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            self.error(where, _("must be a number"))
            return 0.0
        if value < 0 or (positive and value == 0):
            self.error(where, _("must be positive") if positive else _("must not be negative"))
        return float(value)

    def integer(self, value: Any, where: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.error(where, _("must be a whole number from 1"))
            return 0
        return value

    def items(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list) or not value:
            self.error(where, _("must be a non-empty list"))
            return []
        return value


def validate_definition(data: Any) -> dict[str, Any]:
    """Check a framework definition and return it normalised (floats, stripped texts).

    Raises :class:`FrameworkDefinitionError` listing every problem, each with its place
    (``dimensions[2].subdimensions[1].indicators[3].weight: must not be negative``).
    """
    check = _Checker()
    top = check.mapping(
        data,
        "",
        {"format", "code", "name", "version", "normalisation", "category_rule"}
        | {"severity_levels", "dimensions"},
        {"description"},
    )
    if top is None:
        raise FrameworkDefinitionError(check.errors)
    if "format" in top and top["format"] != FORMAT:
        check.error("format", _("must be '%(format)s'") % {"format": FORMAT})
    out: dict[str, Any] = {
        "format": FORMAT,
        "code": check.text(top.get("code"), "code", slug=True),
        "name": check.text(top.get("name"), "name"),
        "version": check.text(top.get("version"), "version"),
        "description": check.text(top.get("description", ""), "description", blank=True),
    }
    normalisation = top.get("normalisation")
    if normalisation not in Framework.Normalisation.values:
        check.error(
            "normalisation", _("must be one of %(choices)s") % {"choices": Framework.Normalisation.values}
        )
    out["normalisation"] = normalisation

    rule = check.mapping(
        top.get("category_rule"), "category_rule", {"method", "sd_multiplier", "cutoffs"}, set()
    )
    if rule is not None:
        if rule.get("method") not in Framework.CategoryMethod.values:
            check.error(
                "category_rule.method",
                _("must be one of %(choices)s") % {"choices": Framework.CategoryMethod.values},
            )
        multiplier = check.number(rule.get("sd_multiplier"), "category_rule.sd_multiplier", positive=True)
        cutoffs = check.mapping(rule.get("cutoffs"), "category_rule.cutoffs", {"sedang", "tinggi"}, set())
        sedang = tinggi = 0.0
        if cutoffs is not None:
            sedang = check.number(cutoffs.get("sedang"), "category_rule.cutoffs.sedang")
            tinggi = check.number(cutoffs.get("tinggi"), "category_rule.cutoffs.tinggi")
            if not sedang <= tinggi <= 100:
                check.error("category_rule.cutoffs", _("need sedang <= tinggi <= 100"))
        out["category_rule"] = {
            "method": rule.get("method"),
            "sd_multiplier": multiplier,
            "cutoffs": {"sedang": sedang, "tinggi": tinggi},
        }

    levels: list[dict[str, Any]] = []
    seen_codes: set[str] = set()
    seen_levels: set[int] = set()
    for i, item in enumerate(check.items(top.get("severity_levels"), "severity_levels")):
        where = f"severity_levels[{i + 1}]"
        level = check.mapping(item, where, {"code", "name", "level", "weight"}, set())
        if level is None:
            continue
        code = check.text(level.get("code"), f"{where}.code", slug=True)
        number = check.integer(level.get("level"), f"{where}.level")
        if code in seen_codes:
            check.error(f"{where}.code", _("'%(code)s' is used twice") % {"code": code})
        if number in seen_levels:
            check.error(f"{where}.level", _("level %(level)s is used twice") % {"level": number})
        seen_codes.add(code)
        seen_levels.add(number)
        levels.append(
            {
                "code": code,
                "name": check.text(level.get("name"), f"{where}.name"),
                "level": number,
                "weight": check.number(level.get("weight"), f"{where}.weight"),
            }
        )
    if levels and not any(level["weight"] > 0 for level in levels):
        check.error("severity_levels", _("at least one level needs a positive weight"))
    out["severity_levels"] = levels

    dimensions: list[dict[str, Any]] = []
    dimension_numbers: set[int] = set()
    dimension_codes: set[str] = set()
    indicator_home: dict[int, str] = {}
    for d, item in enumerate(check.items(top.get("dimensions"), "dimensions")):
        where = f"dimensions[{d + 1}]"
        dim = check.mapping(item, where, {"number", "code", "name", "weight", "subdimensions"}, set())
        if dim is None:
            continue
        number = check.integer(dim.get("number"), f"{where}.number")
        code = check.text(dim.get("code"), f"{where}.code", slug=True)
        if number in dimension_numbers:
            check.error(f"{where}.number", _("dimension %(n)s is used twice") % {"n": number})
        if code in dimension_codes:
            check.error(f"{where}.code", _("'%(code)s' is used twice") % {"code": code})
        dimension_numbers.add(number)
        dimension_codes.add(code)
        subdimensions = []
        sub_numbers: set[int] = set()
        indicator_weight_total = 0.0
        for s, sub_item in enumerate(check.items(dim.get("subdimensions"), f"{where}.subdimensions")):
            sub_where = f"{where}.subdimensions[{s + 1}]"
            sub = check.mapping(sub_item, sub_where, {"number", "name", "indicators"}, set())
            if sub is None:
                continue
            sub_number = check.integer(sub.get("number"), f"{sub_where}.number")
            if sub_number in sub_numbers:
                check.error(f"{sub_where}.number", _("sub-dimension %(n)s is used twice") % {"n": sub_number})
            sub_numbers.add(sub_number)
            sub_name = check.text(sub.get("name"), f"{sub_where}.name")
            indicators = []
            for n, ind_item in enumerate(check.items(sub.get("indicators"), f"{sub_where}.indicators")):
                ind_where = f"{sub_where}.indicators[{n + 1}]"
                ind = check.mapping(ind_item, ind_where, {"number", "name", "weight"}, set())
                if ind is None:
                    continue
                ind_number = check.integer(ind.get("number"), f"{ind_where}.number")
                if ind_number in indicator_home:
                    check.error(
                        f"{ind_where}.number",
                        _(
                            "indicator %(n)s is already in %(other)s; "
                            "every indicator belongs to exactly one sub-dimension"
                        )
                        % {"n": ind_number, "other": indicator_home[ind_number]},
                    )
                else:
                    indicator_home[ind_number] = sub_where
                weight = check.number(ind.get("weight"), f"{ind_where}.weight")
                indicator_weight_total += weight
                indicators.append(
                    {
                        "number": ind_number,
                        "name": check.text(ind.get("name"), f"{ind_where}.name"),
                        "weight": weight,
                    }
                )
            subdimensions.append({"number": sub_number, "name": sub_name, "indicators": indicators})
        if subdimensions and indicator_weight_total <= 0:
            check.error(where, _("needs at least one indicator with a positive weight"))
        dimensions.append(
            {
                "number": number,
                "code": code,
                "name": check.text(dim.get("name"), f"{where}.name"),
                "weight": check.number(dim.get("weight"), f"{where}.weight"),
                "subdimensions": subdimensions,
            }
        )
    if dimensions and not any(dim["weight"] > 0 for dim in dimensions):
        check.error("dimensions", _("at least one dimension needs a positive weight"))
    out["dimensions"] = dimensions
    if check.errors:
        raise FrameworkDefinitionError(check.errors)
    return out


def _load_yaml(text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise FrameworkDefinitionError(_("Not valid YAML: %(error)s") % {"error": exc}) from exc


def parse_yaml(text: str) -> dict[str, Any]:
    """A validated definition from YAML text."""
    return validate_definition(_load_yaml(text))


def framework_definition(framework: Framework) -> dict[str, Any]:
    """The framework as plain data, in the YAML layout."""
    indicators_by_sub: dict[int, list[dict[str, Any]]] = {}
    for ind in Indicator.objects.filter(framework=framework).order_by("number"):
        indicators_by_sub.setdefault(ind.subdimension_id, []).append(
            {"number": ind.number, "name": ind.name, "weight": ind.weight}
        )
    subs_by_dim: dict[int, list[dict[str, Any]]] = {}
    for sub in SubDimension.objects.filter(dimension__framework=framework).order_by(
        "dimension__number", "number"
    ):
        subs_by_dim.setdefault(sub.dimension_id, []).append(
            {"number": sub.number, "name": sub.name, "indicators": indicators_by_sub.get(sub.pk, [])}
        )
    return {
        "format": FORMAT,
        "code": framework.code,
        "name": framework.name,
        "version": framework.version,
        "description": framework.description,
        "normalisation": framework.normalisation,
        "category_rule": {
            "method": framework.category_method,
            "sd_multiplier": framework.sd_multiplier,
            "cutoffs": {"sedang": framework.cutoff_sedang, "tinggi": framework.cutoff_tinggi},
        },
        "severity_levels": [
            {"code": lv.code, "name": lv.name, "level": lv.level, "weight": lv.weight}
            for lv in framework.severity_levels.order_by("level")
        ],
        "dimensions": [
            {
                "number": dim.number,
                "code": dim.code,
                "name": dim.name,
                "weight": dim.weight,
                "subdimensions": subs_by_dim.get(dim.pk, []),
            }
            for dim in framework.dimensions.order_by("number")
        ],
    }


def _summary(framework: Framework, source: str) -> dict[str, Any]:
    return {
        **snapshot(framework, ["code", "name", "version", "status", "read_only", "based_on"]),
        "source": source,
        "dimensions": framework.dimensions.count(),
        "indicators": framework.indicators.count(),
    }


def _create(
    definition: Mapping[str, Any], *, status: str, read_only: bool, based_on: Framework | None
) -> Framework:
    """Store a validated definition. Call inside a transaction."""
    rule = definition["category_rule"]
    if Framework.objects.filter(code=definition["code"], version=definition["version"]).exists():
        raise FrameworkDefinitionError(
            _("Framework %(code)s version %(version)s already exists; choose another version.")
            % {"code": definition["code"], "version": definition["version"]}
        )
    framework = Framework.objects.create(
        code=definition["code"],
        name=definition["name"],
        version=definition["version"],
        description=definition.get("description", ""),
        status=status,
        read_only=read_only,
        based_on=based_on,
        normalisation=definition["normalisation"],
        category_method=rule["method"],
        sd_multiplier=rule["sd_multiplier"],
        cutoff_sedang=rule["cutoffs"]["sedang"],
        cutoff_tinggi=rule["cutoffs"]["tinggi"],
    )
    SeverityLevel.objects.bulk_create(
        SeverityLevel(
            framework=framework, code=lv["code"], name=lv["name"], level=lv["level"], weight=lv["weight"]
        )
        for lv in definition["severity_levels"]
    )
    indicators = []
    for dim_data in definition["dimensions"]:
        dimension = Dimension.objects.create(
            framework=framework,
            number=dim_data["number"],
            code=dim_data["code"],
            name=dim_data["name"],
            weight=dim_data["weight"],
        )
        for sub_data in dim_data["subdimensions"]:
            sub = SubDimension.objects.create(
                dimension=dimension, number=sub_data["number"], name=sub_data["name"]
            )
            indicators += [
                Indicator(
                    framework=framework,
                    subdimension=sub,
                    number=i["number"],
                    name=i["name"],
                    weight=i["weight"],
                )
                for i in sub_data["indicators"]
            ]
    Indicator.objects.bulk_create(indicators)
    return framework


def _ensure_editable(framework: Framework) -> None:
    if framework.read_only:
        raise FrameworkReadOnly(
            _("%(framework)s is shipped with Awas and cannot be changed; copy it to a draft first.")
            % {"framework": framework},
            code="read_only",
        )
    if framework.status != Framework.Status.DRAFT:
        raise FrameworkReadOnly(
            _("%(framework)s is published and frozen so its scores stay reproducible; copy it to a draft.")
            % {"framework": framework},
            code="published",
        )


# --- the services --------------------------------------------------------------------------------


def builtin_definition() -> dict[str, Any]:
    text = resources.files("awas.ikp").joinpath(BUILTIN_RESOURCE).read_text(encoding="utf-8")
    return parse_yaml(text)


def framework_load_builtin(*, actor: Any = None) -> Framework:
    """The shipped IKP 2024 framework, published and read-only; created on first call only."""
    definition = builtin_definition()
    lookup = {"code": definition["code"], "version": definition["version"]}
    existing = Framework.objects.filter(**lookup).first()
    if existing is not None:
        if not existing.read_only:
            raise FrameworkDefinitionError(
                _("A framework %(code)s version %(version)s exists but is not the shipped one.") % lookup
            )
        return existing
    try:
        with transaction.atomic():
            framework = _create(definition, status=Framework.Status.PUBLISHED, read_only=True, based_on=None)
            audit_record(
                action="ikp_framework.created",
                obj=framework,
                actor=actor,
                after=_summary(framework, "builtin"),
            )
    except IntegrityError:  # another process loaded it at the same moment
        return Framework.objects.get(**lookup, read_only=True)
    return framework


def framework_copy(
    framework: Framework, new_version: str, actor: Any, *, name: str | None = None
) -> Framework:
    """An editable draft with the same structure, weights and rules, linked to its origin."""
    definition = framework_definition(framework)
    definition["version"] = new_version
    if name is not None:
        definition["name"] = name
    definition = validate_definition(definition)
    with transaction.atomic():
        copy = _create(definition, status=Framework.Status.DRAFT, read_only=False, based_on=framework)
        audit_record(action="ikp_framework.created", obj=copy, actor=actor, after=_summary(copy, "copy"))
    return copy


def framework_export_yaml(framework: Framework) -> str:
    header = (
        f"# IKP framework exported from Awas: {framework.name}, version {framework.version} "
        f"({framework.get_status_display()}).\n"
        "# Edit and import it as a new draft; the format is described in awas/ikp/frameworks/ikp2024.yaml.\n"
    )
    body = yaml.safe_dump(framework_definition(framework), sort_keys=False, allow_unicode=True, width=110)
    return header + body


def framework_import_yaml(text: str, actor: Any, *, version: str | None = None) -> Framework:
    """A new draft from YAML text (its ``version`` replaced by ``version`` when given)."""
    return _import_definition(_load_yaml(text), actor, version=version, source="import")


def framework_update(framework: Framework, actor: Any, **fields: Any) -> Framework:
    """Change a draft's name, description, normalisation or category rule."""
    unknown = set(fields) - set(_EDITABLE_FIELDS)
    if unknown:
        raise FrameworkDefinitionError(
            _("These fields cannot be edited: %(fields)s") % {"fields": sorted(unknown)}
        )
    with transaction.atomic():
        framework = Framework.objects.select_for_update().get(pk=framework.pk)
        _ensure_editable(framework)
        before = snapshot(framework, _EDITABLE_FIELDS)
        for key, value in fields.items():
            setattr(framework, key, value)
        validate_definition(framework_definition(framework))  # the same rules as a YAML file
        framework.full_clean()
        framework.save(update_fields=list(fields))
        old, new = changed(before, snapshot(framework, _EDITABLE_FIELDS))
        audit_record(action="ikp_framework.updated", obj=framework, actor=actor, before=old, after=new)
    return framework


def framework_set_weights(
    framework: Framework,
    actor: Any,
    *,
    indicators: Mapping[int, float] | None = None,
    dimensions: Mapping[str, float] | None = None,
    severity_levels: Mapping[str, float] | None = None,
) -> Framework:
    """Change weights of a draft: indicators by number, dimensions and severity levels by code."""
    changes: dict[str, Mapping[Any, float]] = {
        "indicators": indicators or {},
        "dimensions": dimensions or {},
        "severity_levels": severity_levels or {},
    }
    check = _Checker()
    for group, wanted in changes.items():
        for identifier, weight in wanted.items():
            check.number(weight, f"{group}[{identifier}]")
    if check.errors:
        raise FrameworkDefinitionError(check.errors)
    with transaction.atomic():
        framework = Framework.objects.select_for_update().get(pk=framework.pk)
        _ensure_editable(framework)
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        targets: list[tuple[str, Any, Any]] = [
            ("indicator", Indicator.objects.filter(framework=framework), "number"),
            ("dimension", Dimension.objects.filter(framework=framework), "code"),
            ("severity", SeverityLevel.objects.filter(framework=framework), "code"),
        ]
        for (label, queryset, key), wanted in zip(targets, changes.values(), strict=True):
            rows = {getattr(row, key): row for row in queryset.filter(**{f"{key}__in": list(wanted)})}
            missing = sorted(set(wanted) - set(rows), key=str)
            if missing:
                raise FrameworkDefinitionError(
                    _("No %(what)s %(keys)s in this framework.") % {"what": label, "keys": missing}
                )
            for identifier, weight in wanted.items():
                row = rows[identifier]
                if row.weight != weight:
                    before[f"{label} {identifier}"], after[f"{label} {identifier}"] = row.weight, weight
                    row.weight = weight
            queryset.model.objects.bulk_update(list(rows.values()), ["weight"])
        validate_definition(framework_definition(framework))  # non-negative, no dimension left empty
        audit_record(
            action="ikp_framework.weights_changed", obj=framework, actor=actor, before=before, after=after
        )
    return framework


def framework_publish(framework: Framework, actor: Any) -> Framework:
    """Freeze a draft: from now on it can be used for official scores and only copied."""
    with transaction.atomic():
        framework = Framework.objects.select_for_update().get(pk=framework.pk)
        _ensure_editable(framework)
        validate_definition(framework_definition(framework))
        framework.status = Framework.Status.PUBLISHED
        framework.save(update_fields=["status"])
        audit_record(
            action="ikp_framework.published",
            obj=framework,
            actor=actor,
            before={"status": Framework.Status.DRAFT},
            after={"status": Framework.Status.PUBLISHED},
        )
    return framework


def _import_definition(data: Any, actor: Any, *, version: str | None, source: str) -> Framework:
    if version is not None and isinstance(data, dict):
        data["version"] = version
    definition = validate_definition(data)
    with transaction.atomic():
        framework = _create(definition, status=Framework.Status.DRAFT, read_only=False, based_on=None)
        audit_record(
            action="ikp_framework.created", obj=framework, actor=actor, after=_summary(framework, source)
        )
    return framework


def framework_export_xlsx(framework: Framework) -> bytes:
    """The framework as an Excel workbook (sheets Kerangka, Tingkat, Dimensi, Subdimensi, Indikator)."""
    return excel.framework_workbook(framework_definition(framework))


def framework_import_excel(content: bytes, actor: Any, *, version: str | None = None) -> Framework:
    """A new draft from a workbook laid out as ``framework_export_xlsx`` writes it.

    Every problem is reported with its sheet and row (``sheet Indikator, row 14, column bobot: must
    be a number``).
    """
    try:
        sheets = excel.framework_from_workbook(content)
    except excel.WorkbookError as exc:
        raise FrameworkDefinitionError(exc.messages) from exc
    if sheets.errors:
        raise FrameworkDefinitionError(sheets.errors)
    try:
        return _import_definition(sheets.data, actor, version=version, source="excel")
    except FrameworkDefinitionError as exc:
        placed = []
        for message in exc.messages:
            path, sep, text = message.partition(": ")
            placed.append(f"{sheets.place(path)}: {text}" if sep else message)
        raise FrameworkDefinitionError(placed) from exc


def framework_save_edits(
    framework: Framework,
    actor: Any,
    *,
    fields: Mapping[str, Any] | None = None,
    indicators: Mapping[int, float] | None = None,
    dimensions: Mapping[str, float] | None = None,
    severity_levels: Mapping[str, float] | None = None,
) -> Framework:
    """One edit of a draft from the framework page: settings and weights together, or neither."""
    with transaction.atomic():
        if fields:
            framework = framework_update(framework, actor, **fields)
        if indicators or dimensions or severity_levels:
            framework = framework_set_weights(
                framework,
                actor,
                indicators=indicators,
                dimensions=dimensions,
                severity_levels=severity_levels,
            )
    return framework


def framework_default(*, actor: Any = None) -> Framework:
    """The framework scores use by default: the newest published one, else the shipped IKP 2024."""
    return selectors.default_framework() or framework_load_builtin(actor=actor)


# --- kejadian ------------------------------------------------------------------------------------
#
# A kejadian is written by the direct entry form, the Excel import, the Form A of the supervision
# app (``kejadian_replace_source``) and the demo. Each is checked the same way: the indicator number
# exists in a published framework, the region is a desa/kelurahan inside the actor's scope (a PTPS:
# the desa of its TPS; no actor: the system, anywhere), the severity is 1-3, the date is not in the
# future and the stage is known. Deleting is a real delete: the audit entry keeps the whole row,
# and stored score runs keep the numbers they produced.

ERR_INDICATOR_MISSING = gettext_lazy("The indicator number is missing or not a whole number.")
ERR_INDICATOR = gettext_lazy("Indicator %(number)s is not in the IKP framework (known: %(known)s).")
ERR_REGION_MISSING = gettext_lazy("The desa/kelurahan code is missing.")
ERR_REGION_UNKNOWN = gettext_lazy("There is no region with the code %(code)s.")
ERR_REGION_NOT_DESA = gettext_lazy(
    "%(code)s is not a desa/kelurahan: kejadian are recorded per desa/kelurahan."
)
ERR_REGION_SCOPE = gettext_lazy("%(code)s lies outside your area: you cannot record kejadian there.")
ERR_DATE_MISSING = gettext_lazy("The date is missing or not a date (write day-month-year).")
ERR_DATE_FUTURE = gettext_lazy("The date %(date)s lies in the future.")
ERR_TAHAPAN = gettext_lazy("Unknown stage “%(value)s”; use one of: %(choices)s.")
ERR_SEVERITY = gettext_lazy("The severity level must be 1 (low), 2 (medium) or 3 (high), not “%(value)s”.")
ERR_ROW = gettext_lazy("Row %(line)s: %(message)s")
ERR_NO_ROWS = gettext_lazy("The file holds no kejadian rows.")
ERR_ALREADY_IMPORTED = gettext_lazy(
    "This file was imported before (%(count)s kejadian with source %(source)s); nothing was imported."
)
SEVERITY_LEVELS = (1, 2, 3)
_SEVERITY_WORDS = {"rendah": 1, "sedang": 2, "tinggi": 3, "low": 1, "medium": 2, "high": 3}
KEJADIAN_EDITABLE = ("indicator_number", "region", "date", "tahapan", "severity", "note", "counted")


@dataclass(frozen=True)
class KejadianInput:
    """One kejadian to store; ``region`` is a Region or its code (dotted or not)."""

    indicator_number: int | None
    region: Region | str | None
    date: dt.date | None
    tahapan: str | None = Tahapan.LAINNYA
    severity: int | None = 1
    note: str = ""
    counted: bool = True

    @property
    def region_code(self) -> str:
        if isinstance(self.region, Region):
            return self.region.code
        return excel.cell_code(self.region) if self.region else ""


class KejadianBatchError(ValidationError):
    """Some items of a batch are invalid; ``problems`` lists (item index, field, message)."""

    def __init__(self, problems: list[tuple[int, str, str]]) -> None:
        self.problems = problems
        super().__init__([f"{index + 1}: {message}" for index, _field, message in problems])


class KejadianImportError(ValidationError):
    """An import that stored nothing; ``rows`` lists (Excel row number or 0 for the file, message)."""

    def __init__(self, rows: list[tuple[int, str]]) -> None:
        self.rows = sorted(rows, key=lambda row: row[0])
        super().__init__(
            [
                str(ERR_ROW % {"line": line, "message": message}) if line else message
                for line, message in self.rows
            ]
        )


def _tahapan_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, label in Tahapan.choices:
        lookup[code] = code
        for language in ("id", "en"):
            with translation.override(language):
                lookup[str(label).strip().lower()] = code
    return lookup


def tahapan_code(value: Any) -> str | None:
    """The stage code for a code or a label in Indonesian or English; None when unknown."""
    text = str(value or "").strip().lower()
    lookup = _tahapan_lookup()
    return lookup.get(text) or lookup.get(re.sub(r"[\s\-]+", "_", text))


def severity_level(value: Any) -> int | None:
    number = excel.cell_integer(value)
    if number is None and isinstance(value, str):
        number = _SEVERITY_WORDS.get(value.strip().lower())
    return number if number in SEVERITY_LEVELS else None


class _KejadianCheck:
    """The rules every kejadian write follows, prepared once for a batch."""

    def __init__(self, actor: Any, codes: Iterable[str]) -> None:
        numbers = selectors.valid_indicator_numbers()
        if not numbers:
            numbers = set(framework_load_builtin().indicators.values_list("number", flat=True))
        self.numbers = numbers
        wanted = {code for code in codes if code}
        self.levels = dict(Region.objects.filter(code__in=wanted).values_list("code", "level"))
        self.allowed: set[str] | None = None
        if actor is not None:
            self.allowed = set(
                selectors.kejadian_entry_regions(actor).filter(code__in=wanted).values_list("code", flat=True)
            )
        self.today = timezone.localdate()

    def known(self) -> str:
        return f"{min(self.numbers)}–{max(self.numbers)}" if self.numbers else "-"

    def errors(self, item: KejadianInput, *, partial: bool = False) -> dict[str, list[str]]:
        """Field -> messages. ``partial``: fields that are None were reported already; skip them."""
        errors: dict[str, list[str]] = {}

        def add(field: str, message: Any) -> None:
            errors.setdefault(field, []).append(str(message))

        if item.indicator_number is None:
            if not partial:
                add("indicator_number", ERR_INDICATOR_MISSING)
        elif item.indicator_number not in self.numbers:
            add("indicator_number", ERR_INDICATOR % {"number": item.indicator_number, "known": self.known()})
        code = item.region_code
        if not code:
            if not partial:
                add("region", ERR_REGION_MISSING)
        elif code not in self.levels:
            add("region", ERR_REGION_UNKNOWN % {"code": code})
        elif self.levels[code] != Level.DESA:
            add("region", ERR_REGION_NOT_DESA % {"code": code})
        elif self.allowed is not None and code not in self.allowed:
            add("region", ERR_REGION_SCOPE % {"code": code})
        if item.date is None:
            if not partial:
                add("date", ERR_DATE_MISSING)
        elif item.date > self.today:
            add("date", ERR_DATE_FUTURE % {"date": item.date.strftime("%d-%m-%Y")})
        if item.tahapan is None:
            if not partial:
                add("tahapan", ERR_TAHAPAN % {"value": "", "choices": ", ".join(Tahapan.values)})
        elif item.tahapan not in Tahapan.values:
            add("tahapan", ERR_TAHAPAN % {"value": item.tahapan, "choices": ", ".join(Tahapan.values)})
        if item.severity is None:
            if not partial:
                add("severity", ERR_SEVERITY % {"value": ""})
        elif item.severity not in SEVERITY_LEVELS:
            add("severity", ERR_SEVERITY % {"value": item.severity})
        return errors


def _kejadian_row(item: KejadianInput, *, actor: Any, source_ref: str, is_demo: bool) -> Kejadian:
    """The model row of a checked item (checked: no field is None)."""
    return Kejadian(
        indicator_number=cast(int, item.indicator_number),
        region_id=item.region_code,
        date=cast(dt.date, item.date),
        tahapan=cast(str, item.tahapan),
        severity=cast(int, item.severity),
        note=(item.note or "").strip(),
        source_ref=source_ref,
        counted=item.counted,
        is_demo=is_demo,
        created_by=actor if getattr(actor, "pk", None) else None,
    )


_KEJADIAN_AUDIT_FIELDS = [
    "indicator_number",
    "region",
    "date",
    "tahapan",
    "severity",
    "note",
    "source_ref",
    "counted",
    "is_demo",
]


def kejadian_create(
    *,
    actor: Any,
    indicator_number: int | None,
    region: Region | str | None,
    date: dt.date | None,
    tahapan: str | None = Tahapan.LAINNYA,
    severity: int | None = 1,
    note: str = "",
    source_ref: str = "",
    counted: bool = True,
    is_demo: bool = False,
) -> Kejadian:
    """Record one kejadian. Raises ValidationError keyed by field (indicator_number, region, date,
    tahapan, severity) when a rule is broken."""
    item = KejadianInput(indicator_number, region, date, tahapan, severity, note, counted)
    errors = _KejadianCheck(actor, [item.region_code]).errors(item)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        kejadian = _kejadian_row(item, actor=actor, source_ref=source_ref, is_demo=is_demo)
        kejadian.save()
        audit_record(
            action="ikp_kejadian.created",
            obj=kejadian,
            actor=actor,
            after=snapshot(kejadian, _KEJADIAN_AUDIT_FIELDS),
        )
    return kejadian


def _store_batch(
    items: Sequence[KejadianInput],
    *,
    actor: Any,
    source_ref: str,
    is_demo: bool,
    action: str,
    audit_extra: Mapping[str, Any] | None = None,
) -> list[Kejadian]:
    """Store checked items with one audit entry naming them all. Call inside a transaction."""
    rows = [_kejadian_row(item, actor=actor, source_ref=source_ref, is_demo=is_demo) for item in items]
    created = Kejadian.objects.bulk_create(rows, batch_size=500)
    audit_record(
        action=action,
        actor=actor,
        object_type=Kejadian._meta.label,
        object_repr=(source_ref or f"{len(created)} kejadian")[:255],
        after={
            "count": len(created),
            "source_ref": source_ref,
            "is_demo": is_demo,
            "ids": [k.pk for k in created],
            **(audit_extra or {}),
        },
    )
    return created


def kejadian_bulk_create(
    *,
    actor: Any,
    items: Sequence[KejadianInput],
    source_ref: str = "",
    is_demo: bool = False,
) -> list[Kejadian]:
    """Record many kejadian, all or nothing: one bad item raises ``KejadianBatchError`` naming each
    problem by item index and stores nothing."""
    check = _KejadianCheck(actor, [item.region_code for item in items])
    problems = [
        (index, field, message)
        for index, item in enumerate(items)
        for field, messages in check.errors(item).items()
        for message in messages
    ]
    if problems:
        raise KejadianBatchError(problems)
    with transaction.atomic():
        return _store_batch(
            items, actor=actor, source_ref=source_ref, is_demo=is_demo, action="ikp_kejadian.imported"
        )


def kejadian_replace_source(
    *, actor: Any, source_ref: str, items: Sequence[KejadianInput], is_demo: bool = False
) -> list[Kejadian]:
    """Make the kejadian of one source (e.g. ``form_a:12``) exactly ``items``: the ones recorded
    from it before are deleted, the new ones stored, in one transaction with one audit entry.

    For a report that is corrected or parsed again. All or nothing, like ``kejadian_bulk_create``.
    """
    if not source_ref:
        raise ValueError("kejadian_replace_source needs a source_ref")
    check = _KejadianCheck(actor, [item.region_code for item in items])
    problems = [
        (index, field, message)
        for index, item in enumerate(items)
        for field, messages in check.errors(item).items()
        for message in messages
    ]
    if problems:
        raise KejadianBatchError(problems)
    with transaction.atomic():
        old = Kejadian.objects.select_for_update().filter(source_ref=source_ref)
        removed = [snapshot(k, ["id", *_KEJADIAN_AUDIT_FIELDS]) for k in old]
        old.delete()
        return _store_batch(
            items,
            actor=actor,
            source_ref=source_ref,
            is_demo=is_demo,
            action="ikp_kejadian.replaced",
            audit_extra={"removed": removed},
        )


def _ensure_may_change(actor: Any, kejadian: Kejadian) -> None:
    if actor is None:
        return
    if not selectors.kejadian_entry_regions(actor).filter(code=kejadian.region_id).exists():
        raise PermissionDenied(str(ERR_REGION_SCOPE % {"code": kejadian.region_id}))


def kejadian_update(*, kejadian: Kejadian, actor: Any, **changes: Any) -> Kejadian:
    """Change a kejadian's indicator, desa, date, stage, severity, note or 'counted' flag."""
    unknown = set(changes) - set(KEJADIAN_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        kejadian = Kejadian.objects.select_for_update().get(pk=kejadian.pk)
        _ensure_may_change(actor, kejadian)
        current = {
            "indicator_number": kejadian.indicator_number,
            "region": kejadian.region_id,
            "date": kejadian.date,
            "tahapan": kejadian.tahapan,
            "severity": kejadian.severity,
            "note": kejadian.note,
            "counted": kejadian.counted,
        }
        item = KejadianInput(**{**current, **changes})
        errors = _KejadianCheck(actor, [item.region_code]).errors(item)
        if errors:
            raise ValidationError(errors)
        before = snapshot(kejadian, _KEJADIAN_AUDIT_FIELDS)
        kejadian.indicator_number = item.indicator_number  # type: ignore[assignment]
        kejadian.region_id = item.region_code
        kejadian.date = item.date  # type: ignore[assignment]
        kejadian.tahapan = item.tahapan  # type: ignore[assignment]
        kejadian.severity = item.severity  # type: ignore[assignment]
        kejadian.note = (item.note or "").strip()
        kejadian.counted = item.counted
        kejadian.save(
            update_fields=["indicator_number", "region", "date", "tahapan", "severity", "note", "counted"]
        )
        old, new = changed(before, snapshot(kejadian, _KEJADIAN_AUDIT_FIELDS))
        audit_record(action="ikp_kejadian.updated", obj=kejadian, actor=actor, before=old, after=new)
    return kejadian


def kejadian_delete(*, kejadian: Kejadian, actor: Any, reason: str = "") -> None:
    """Delete a kejadian recorded in error; the audit entry keeps the whole row and the reason."""
    with transaction.atomic():
        kejadian = Kejadian.objects.select_for_update().get(pk=kejadian.pk)
        _ensure_may_change(actor, kejadian)
        audit_record(
            action="ikp_kejadian.deleted",
            obj=kejadian,
            actor=actor,
            before=snapshot(kejadian, ["id", *_KEJADIAN_AUDIT_FIELDS, "created_by"]),
            after={"reason": reason},
        )
        kejadian.delete()


@dataclass(frozen=True)
class KejadianImportResult:
    created: int
    source_ref: str


def _parse_row(values: Mapping[str, Any]) -> tuple[KejadianInput, list[str]]:
    """A KejadianInput from one sheet row (None where a cell could not be read) and the problems."""
    problems: list[str] = []
    indicator = excel.cell_integer(values.get("indikator"))
    if indicator is None:
        problems.append(str(ERR_INDICATOR_MISSING))
    code = excel.cell_code(values.get("kode_desa"))
    if not code:
        problems.append(str(ERR_REGION_MISSING))
    date = excel.cell_date(values.get("tanggal"))
    if date is None:
        problems.append(str(ERR_DATE_MISSING))
    raw_tahapan = values.get("tahapan")
    tahapan = tahapan_code(raw_tahapan)
    if tahapan is None:
        problems.append(
            str(
                ERR_TAHAPAN
                % {
                    "value": raw_tahapan if raw_tahapan is not None else "",
                    "choices": ", ".join(Tahapan.values),
                }
            )
        )
    raw_severity = values.get("tingkat")
    severity = severity_level(raw_severity)
    if severity is None:
        problems.append(str(ERR_SEVERITY % {"value": raw_severity if raw_severity is not None else ""}))
    note = values.get("catatan")
    return (
        KejadianInput(
            indicator_number=indicator,
            region=code or None,
            date=date,
            tahapan=tahapan,
            severity=severity,
            note="" if note is None else str(note),
        ),
        problems,
    )


def kejadian_import_excel(*, content: bytes, actor: Any, filename: str = "") -> KejadianImportResult:
    """Import the kejadian of a workbook (the template of ``kejadian_template_xlsx``), all or nothing.

    Every bad row is reported with its Excel row number (``KejadianImportError.rows``); a file
    imported before is refused, so a double click does not count every kejadian twice.
    """
    digest = hashlib.sha256(content).hexdigest()
    source_ref = f"excel:{digest[:16]}"
    already = Kejadian.objects.filter(source_ref=source_ref).count()
    if already:
        raise KejadianImportError([(0, str(ERR_ALREADY_IMPORTED % {"count": already, "source": source_ref}))])
    try:
        raw_rows = excel.kejadian_rows(content)
    except excel.WorkbookError as exc:
        raise KejadianImportError([(0, message) for message in exc.messages]) from exc
    if not raw_rows:
        raise KejadianImportError([(0, str(ERR_NO_ROWS))])
    parsed = [(raw.line, *_parse_row(raw.values)) for raw in raw_rows]
    check = _KejadianCheck(actor, [item.region_code for _line, item, _problems in parsed])
    rows: list[tuple[int, str]] = []
    for line, item, problems in parsed:
        rows += [(line, message) for message in problems]
        rows += [
            (line, message) for messages in check.errors(item, partial=True).values() for message in messages
        ]
    if rows:
        raise KejadianImportError(rows)
    items = [item for _line, item, _problems in parsed]
    with transaction.atomic():
        created = _store_batch(
            items,
            actor=actor,
            source_ref=source_ref,
            is_demo=False,
            action="ikp_kejadian.imported",
            audit_extra={"file": filename[:200], "sha256": digest},
        )
    return KejadianImportResult(created=len(created), source_ref=source_ref)


def kejadian_template_xlsx(*, user: Any) -> bytes:
    """The kejadian import template, its desa list cut to what ``user`` may record for."""
    framework = framework_default()
    indicators = [
        (number, name, dimension)
        for number, name, dimension in Indicator.objects.filter(framework=framework)
        .order_by("number")
        .values_list("number", "name", "subdimension__dimension__name")
    ]
    desa = [
        (code, name, kecamatan or "")
        for code, name, kecamatan in selectors.kejadian_entry_regions(user)
        .order_by("code")
        .values_list("code", "name", "parent__name")
    ]
    tahapan = [(code, str(label)) for code, label in Tahapan.choices]
    severity = [(1, _("low (rendah)")), (2, _("medium (sedang)")), (3, _("high (tinggi)"))]
    return excel.kejadian_template(indicators=indicators, desa=desa, tahapan=tahapan, severity=severity)


# --- score runs ----------------------------------------------------------------------------------
#
# Scores are computed from the kejadian and stored as a ScoreRun, once per distinct question (the
# framework, level, area, period and stage) and distinct data (a hash of the kejadian rows): asking
# again on unchanged data returns the stored run, a kejadian added since makes a new one. So every
# score on a page, in an export or in a report names the run, and the run the framework version.
# Computing is cheap (a bincount and a few matrix products); fetching the rows dominates, and is
# needed anyway to know whether they changed.

ENGINE_VERSION = 1
TOP_K = 5
MAX_MONTHS = 24
ERR_DRAFT_FRAMEWORK = gettext_lazy(
    "%(framework)s is a draft: only a published framework computes scores, so they can be reproduced."
)
DEFAULT_SENSITIVITY: dict[str, Any] = {
    "draws": 500,
    "concentration": 50.0,
    "dimension_concentration": 50.0,
    "percentile_share": 0.5,
    "seed": 0,
    "stability_threshold": 0.8,
}


class ScoreRunError(ValidationError):
    pass


def _month_range(start: dt.date, end: dt.date) -> list[str]:
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months[-MAX_MONTHS:]


def _compute_run(
    framework: Framework,
    level: int,
    regions: list[tuple[str, str]],
    rows: list[tuple[int, str, int, int, dt.date, bool]],
    date_from: dt.date | None,
    date_to: dt.date | None,
) -> tuple[dict[str, Any], dict[str, Any], int]:
    structure = selectors.framework_structure(framework)
    rule = selectors.category_rule(framework)
    normalisation: Normalisation = "percentile" if framework.normalisation == "percentile" else "minmax"
    weights_by_level = dict(SeverityLevel.objects.filter(framework=framework).values_list("level", "weight"))
    index = {code: i for i, (code, _name) in enumerate(regions)}
    known = set(structure.indicator_numbers.tolist())
    region_idx: list[int] = []
    numbers: list[int] = []
    weights: list[float] = []
    dates: list[dt.date] = []
    unscored = demo = 0
    for _id, region_id, number, severity, date, is_demo in rows:
        r = index.get(".".join(region_id.split(".")[:level]))
        weight = weights_by_level.get(severity)
        if r is None or number not in known or weight is None:
            unscored += 1
            continue
        region_idx.append(r)
        numbers.append(number)
        weights.append(weight)
        dates.append(date)
        demo += bool(is_demo)
    n_regions = len(regions)
    reg = np.asarray(region_idx, dtype=np.intp)
    ind = structure.indicator_index(np.asarray(numbers, dtype=np.intp))
    sev = np.asarray(weights, dtype=np.float64)
    result = score(reg, ind, sev, n_regions, structure, normalisation=normalisation, rule=rule, top_k=TOP_K)

    months: list[str] = []
    monthly = np.zeros((n_regions, 0))
    if dates or (date_from and date_to):
        start = date_from or min(dates)
        end = date_to or max(dates)
        months = _month_range(start, end) if start <= end else []
        month_of = np.asarray([f"{d.year:04d}-{d.month:02d}" for d in dates])
        monthly = np.zeros((n_regions, len(months)))
        for m, month in enumerate(months):
            chosen = month_of == month if dates else np.zeros(0, dtype=bool)
            if chosen.any():
                monthly[:, m] = score(
                    reg[chosen], ind[chosen], sev[chosen], n_regions, structure,
                    normalisation=normalisation, rule=rule, top_k=0,
                ).composite  # fmt: skip

    nonzero = np.nonzero(result.indicator_values)
    numbers_order = structure.indicator_numbers.tolist()
    dimension_rows = list(
        Dimension.objects.filter(framework=framework).order_by("number").values_list("code", "name")
    )
    results = {
        "codes": [code for code, _name in regions],
        "names": [name for _code, name in regions],
        "composite": np.round(result.composite, 4).tolist(),
        "category": result.category.tolist(),
        "rank": result.rank().tolist(),
        "thresholds": [round(result.thresholds[0], 4), round(result.thresholds[1], 4)],
        "dimension_codes": [code for code, _name in dimension_rows],
        "dimension_names": [name for _code, name in dimension_rows],
        "dimensions": np.round(result.dimension_scores, 4).tolist(),
        "top": [
            [
                [int(numbers_order[k]), round(float(c), 4)]
                for k, c in zip(result.top_indicators[r], result.top_contributions[r], strict=True)
                if k >= 0
            ]
            for r in range(n_regions)
        ],
        "counts": np.bincount(reg, minlength=n_regions).tolist() if n_regions else [],
        "indicator_numbers": numbers_order,
        "values": [
            [int(r), int(numbers_order[k]), round(float(result.indicator_values[r, k]), 4)]
            for r, k in zip(*nonzero, strict=True)
        ],
        "months": months,
        "monthly": np.round(monthly, 4).tolist(),
    }
    parameters = {
        "engine": ENGINE_VERSION,
        "normalisation": normalisation,
        "category_rule": {
            "method": rule.method,
            "sd_multiplier": rule.sd_multiplier,
            "cutoffs": list(rule.cutoffs),
        },
        "severity_weights": {str(k): v for k, v in sorted(weights_by_level.items())},
        "dimension_weights": dict(
            Dimension.objects.filter(framework=framework).order_by("number").values_list("code", "weight")
        ),
        "top_k": TOP_K,
        "kejadian_unscored": unscored,
        "kejadian_demo": demo,
    }
    return results, parameters, len(region_idx)


def score_run_get_or_create(
    *,
    framework: Framework,
    level: int,
    area: Region,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    tahapan: str = "",
    actor: Any = None,
) -> ScoreRun:
    """The scores of every region of ``level`` under ``area`` from the counted kejadian of the period
    and stage: the stored run when nothing changed, else a new one (audited)."""
    if framework.status != Framework.Status.PUBLISHED:
        raise ScoreRunError(ERR_DRAFT_FRAMEWORK % {"framework": framework})
    if level not in (Level.KABUPATEN, Level.KECAMATAN, Level.DESA) or area.level >= level:
        raise ScoreRunError(f"cannot score level {level} under {area.code}")
    if tahapan and tahapan not in Tahapan.values:
        raise ScoreRunError(ERR_TAHAPAN % {"value": tahapan, "choices": ", ".join(Tahapan.values)})
    regions = list(
        Region.objects.filter(level=level)
        .filter(region_q("code", area.code))
        .order_by("code")
        .values_list("code", "name")
    )
    kejadian = Kejadian.objects.filter(counted=True).filter(region_q("region__code", area.code))
    if date_from:
        kejadian = kejadian.filter(date__gte=date_from)
    if date_to:
        kejadian = kejadian.filter(date__lte=date_to)
    if tahapan:
        kejadian = kejadian.filter(tahapan=tahapan)
    rows = list(
        kejadian.order_by("id").values_list(
            "id", "region_id", "indicator_number", "severity", "date", "is_demo"
        )
    )
    digest = hashlib.sha256()
    digest.update("|".join(code for code, _name in regions).encode())
    for row in rows:
        digest.update(("\n" + ",".join(map(str, row))).encode())
    data_hash = digest.hexdigest()
    question = [
        ENGINE_VERSION,
        framework.pk,
        level,
        area.code,
        str(date_from),
        str(date_to),
        tahapan,
        data_hash,
    ]
    key = hashlib.sha256(json.dumps(question).encode()).hexdigest()
    existing = ScoreRun.objects.filter(key=key).first()
    if existing is not None:
        return existing
    results, parameters, n_scored = _compute_run(framework, level, regions, rows, date_from, date_to)
    try:
        with transaction.atomic():
            run = ScoreRun.objects.create(
                framework=framework,
                framework_version=framework.version,
                level=level,
                area=area,
                date_from=date_from,
                date_to=date_to,
                tahapan=tahapan,
                parameters=parameters,
                results=results,
                data_hash=data_hash,
                key=key,
                n_regions=len(regions),
                n_kejadian=n_scored,
                created_by=actor if getattr(actor, "pk", None) else None,
            )
            audit_record(
                action="ikp_score.computed",
                obj=run,
                actor=actor,
                after={
                    "framework": f"{framework.code} {framework.version}",
                    "level": level,
                    "area": area.code,
                    "date_from": str(date_from or ""),
                    "date_to": str(date_to or ""),
                    "tahapan": tahapan,
                    "regions": len(regions),
                    "kejadian": n_scored,
                    "data_hash": data_hash,
                },
            )
    except IntegrityError:  # the same run computed by another request a moment ago
        return ScoreRun.objects.get(key=key)
    return run


def sensitivity_parameters(
    *,
    draws: int = DEFAULT_SENSITIVITY["draws"],
    concentration: float = DEFAULT_SENSITIVITY["concentration"],
    dimension_concentration: float | None = None,
    percentile_share: float = DEFAULT_SENSITIVITY["percentile_share"],
    seed: int = DEFAULT_SENSITIVITY["seed"],
    stability_threshold: float = DEFAULT_SENSITIVITY["stability_threshold"],
) -> dict[str, Any]:
    """The Monte Carlo parameters, checked, in the form they are stored."""
    problems = []
    if not 50 <= draws <= 10000:
        problems.append(_("Draws must lie between 50 and 10000."))
    for value in (concentration, dimension_concentration if dimension_concentration is not None else 1.0):
        if not (math.isfinite(value) and 0 < value <= 100000):
            problems.append(_("Concentrations must be positive numbers (larger: closer to the set weights)."))
            break
    if not 0 <= percentile_share <= 1:
        problems.append(_("The share of draws with percentile normalisation must lie between 0 and 1."))
    if not 0.5 <= stability_threshold <= 1:
        problems.append(_("The stability threshold must lie between 0.5 and 1."))
    if problems:
        raise ScoreRunError(problems)
    return {
        "draws": int(draws),
        "concentration": float(concentration),
        "dimension_concentration": float(
            concentration if dimension_concentration is None else dimension_concentration
        ),
        "percentile_share": float(percentile_share),
        "seed": int(seed),
        "stability_threshold": float(stability_threshold),
    }


def sensitivity_run_get_or_create(
    *, score_run: ScoreRun, actor: Any = None, parameters: Mapping[str, Any] | None = None
) -> SensitivityRun:
    """A Monte Carlo analysis of ``score_run`` (``awas.ikp.sensitivity``) with ``parameters``
    (``sensitivity_parameters``; the defaults when None), stored once per parameter set."""
    params = sensitivity_parameters(**(parameters or {}))
    key = hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()
    existing = SensitivityRun.objects.filter(score_run=score_run, key=key).first()
    if existing is not None:
        return existing
    data = selectors.run_data(score_run)
    structure = selectors.framework_structure(score_run.framework)
    rule = selectors.category_rule(score_run.framework)
    share = params["percentile_share"]
    if share <= 0:
        methods: tuple[Normalisation, ...] = ("minmax",)
        probabilities = None
    elif share >= 1:
        methods, probabilities = ("percentile",), None
    else:
        methods, probabilities = ("minmax", "percentile"), [1 - share, share]
    base: Normalisation = (
        "percentile" if score_run.parameters.get("normalisation") == "percentile" else "minmax"
    )
    result = sensitivity(
        data.values,
        structure,
        n_draws=params["draws"],
        concentration=params["concentration"],
        dimension_concentration=params["dimension_concentration"],
        methods=methods,
        method_probabilities=probabilities,
        rule=rule,
        base_normalisation=base,
        stability_threshold=params["stability_threshold"],
        seed=params["seed"],
    )
    results = {
        "rank_p05": np.round(result.rank_p05, 2).tolist(),
        "rank_p50": np.round(result.rank_p50, 2).tolist(),
        "rank_p95": np.round(result.rank_p95, 2).tolist(),
        "shares": np.round(result.category_share, 4).tolist(),
        "modal": result.modal_category.tolist(),
        "unstable": [bool(x) for x in result.unstable],
        "draws_per_method": result.draws_per_method,
    }
    try:
        with transaction.atomic():
            run = SensitivityRun.objects.create(
                score_run=score_run,
                key=key,
                parameters=params,
                results=results,
                created_by=actor if getattr(actor, "pk", None) else None,
            )
            audit_record(
                action="ikp_sensitivity.computed",
                obj=run,
                actor=actor,
                after={**params, "score_run": score_run.pk, "unstable": int(result.unstable.sum())},
            )
    except IntegrityError:
        return SensitivityRun.objects.get(score_run=score_run, key=key)
    return run


# --- demo data -----------------------------------------------------------------------------------

# Stages of Pilkada 2024 with their dates (KPU schedule) and the indicators typical of each, so the
# demo map has the shape DOMAIN.md §1.4 describes: ASN neutrality (12) the most frequent, then
# politik uang (54); Gondanglegi a hotspot.
_DEMO_STAGES: list[tuple[str, dt.date, dt.date, float, dict[int, float]]] = [
    (Tahapan.PEMUTAKHIRAN_DATA, dt.date(2024, 6, 24), dt.date(2024, 9, 20), 0.12,
     {17: 3, 18: 3, 19: 2, 20: 4, 22: 1, 12: 2}),
    (Tahapan.PENCALONAN, dt.date(2024, 8, 27), dt.date(2024, 9, 22), 0.10,
     {12: 8, 15: 2, 43: 1, 41: 1, 13: 1}),
    (Tahapan.KAMPANYE, dt.date(2024, 9, 25), dt.date(2024, 11, 23), 0.52,
     {12: 14, 54: 7, 44: 2, 45: 3, 47: 2, 49: 2, 51: 1, 52: 3, 53: 2, 15: 2, 5: 1, 7: 1, 25: 1}),
    (Tahapan.MASA_TENANG, dt.date(2024, 11, 24), dt.date(2024, 11, 26), 0.07, {54: 6, 45: 2, 12: 3}),
    (Tahapan.PUNGUT_HITUNG, dt.date(2024, 11, 27), dt.date(2024, 11, 27), 0.13,
     {27: 2, 28: 2, 29: 1, 31: 2, 35: 3, 36: 3, 39: 1, 58: 2, 12: 2, 33: 1}),
    (Tahapan.REKAPITULASI, dt.date(2024, 11, 28), dt.date(2024, 12, 16), 0.06, {11: 2, 36: 2, 38: 1, 37: 1}),
]  # fmt: skip
DEMO_EVENTS = 720
DEMO_HOTSPOT = "35.07.10"  # Gondanglegi (DOMAIN.md §1.4)
DEMO_HOTSPOT_FACTOR = 1.5  # its activity, relative to the busiest other kecamatan
DEMO_SPREAD = 2.0  # gamma shape of the kecamatan's activity: smaller, more uneven
DEMO_DISASTER = ("35.07.26", "35.07.06")  # Pujon and Ampelgading: bencana alam (indicator 3)
DEMO_SOURCE = "demo"


def kejadian_generate_demo(*, kabupaten_code: str, seed: int = 2024) -> int:
    """Plausible demo kejadian (``is_demo``) for every desa of a kabupaten; none when demo kejadian
    exist there already. Returns how many were made."""
    if Kejadian.objects.filter(is_demo=True).filter(region_q("region__code", kabupaten_code)).exists():
        return 0
    desa = list(
        Region.objects.filter(level=Level.DESA)
        .filter(region_q("code", kabupaten_code))
        .order_by("code")
        .values_list("code", flat=True)
    )
    if not desa:
        return 0
    framework_load_builtin()
    rng = np.random.default_rng(seed)
    # Some kecamatan see more than others; the hotspot three times the usual.
    kecamatan = sorted({code.rsplit(".", 1)[0] for code in desa})
    activity = dict(zip(kecamatan, rng.gamma(DEMO_SPREAD, 1.0, size=len(kecamatan)), strict=True))
    hotspot = kabupaten_code + DEMO_HOTSPOT[len("35.07") :]
    if hotspot in activity:
        activity[hotspot] = max(activity.values()) * DEMO_HOTSPOT_FACTOR
    desa_weight = np.array([activity[code.rsplit(".", 1)[0]] for code in desa])
    desa_weight /= desa_weight.sum()
    stage_share = np.array([stage[3] for stage in _DEMO_STAGES])
    items: list[KejadianInput] = []
    for _event in range(DEMO_EVENTS):
        tahapan, start, end, _share, indicators = _DEMO_STAGES[rng.choice(len(_DEMO_STAGES), p=stage_share)]
        numbers = list(indicators)
        odds = np.array([indicators[n] for n in numbers], dtype=float)
        number = int(numbers[rng.choice(len(numbers), p=odds / odds.sum())])
        date = start + dt.timedelta(days=int(rng.integers(0, (end - start).days + 1)))
        severity_odds = [0.4, 0.4, 0.2] if number in (12, 54) else [0.6, 0.3, 0.1]
        items.append(
            KejadianInput(
                indicator_number=number,
                region=desa[rng.choice(len(desa), p=desa_weight)],
                date=date,
                tahapan=tahapan,
                severity=int(rng.choice(3, p=severity_odds)) + 1,
                note=_("Demo data: an invented incident for demonstration."),
            )
        )
    for kec in DEMO_DISASTER:
        local = [code for code in desa if code.startswith(kabupaten_code + kec[len("35.07") :] + ".")]
        for code in local[:3]:
            items.append(
                KejadianInput(3, code, dt.date(2024, 11, 26), Tahapan.MASA_TENANG, 2,
                              _("Demo data: an invented incident for demonstration."))
            )  # fmt: skip
    return len(kejadian_bulk_create(actor=None, items=items, source_ref=DEMO_SOURCE, is_demo=True))
