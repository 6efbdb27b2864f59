"""Writes to IKP frameworks: loading the shipped one, copying, editing drafts, publishing, and YAML
import/export. Every write runs in one transaction with its audit entry.

The YAML format (``format: awas-ikp-framework/1``) is the one of ``frameworks/ikp2024.yaml``; export
and import round-trip it. Validation collects every problem with its place in the file, so an
officer fixing a file sees all mistakes at once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from importlib import resources
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from awas.core.services.audit import audit_record, changed, snapshot
from awas.ikp.models import Dimension, Framework, Indicator, SeverityLevel, SubDimension

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
    data = _load_yaml(text)
    if version is not None and isinstance(data, dict):
        data["version"] = version
    definition = validate_definition(data)
    with transaction.atomic():
        framework = _create(definition, status=Framework.Status.DRAFT, read_only=False, based_on=None)
        audit_record(
            action="ikp_framework.created", obj=framework, actor=actor, after=_summary(framework, "import")
        )
    return framework


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
