from __future__ import annotations

from typing import Any

from django import template

from awas.supervision.selectors import indicator_names

register = template.Library()


@register.filter
def indicator_name(number: Any) -> str:
    """``12`` → the indicator's name in the IKP framework Awas ships."""
    try:
        return indicator_names().get(int(number), "")
    except (TypeError, ValueError):
        return ""
