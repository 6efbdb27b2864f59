"""The Python-written ``<select>`` gives the browser what Django's template-written one does."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
from django import forms

from awas.core.forms import PlainSelect

CHOICES: list[Any] = [
    ("", "— pilih —"),
    ("Gondanglegi", [("35.07.10.2001", "Putat Kidul"), ("35.07.10.2002", "Sepanjang & <Kidul>")]),
    ("35.07.13", 'Kepanjen "kota"'),
]


class _Shape(HTMLParser):
    """Tags with their attributes (order aside) and text, whitespace between tags aside."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.items.append(("start", (tag, sorted(attrs))))

    def handle_endtag(self, tag: str) -> None:
        self.items.append(("end", tag))

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.items.append(("text", data))


def shape(html: str) -> list[tuple[str, Any]]:
    parser = _Shape()
    parser.feed(html)
    return parser.items


@pytest.mark.parametrize("value", ["", "35.07.10.2002", "35.07.13"])
def test_the_plain_select_is_the_same_select(value: str) -> None:
    attrs = {"id": "id_desa", "required": True, "aria-required": "true", "data-x": "1", "hidden": False}
    django_select = forms.Select(choices=CHOICES).render("desa", value, attrs=attrs)
    plain = PlainSelect(choices=CHOICES).render("desa", value, attrs=attrs)

    assert shape(plain) == shape(django_select)
    assert "Sepanjang &amp; &lt;Kidul&gt;" in plain and "Kepanjen &quot;kota&quot;" in plain
    assert plain.count(" selected") == 1  # the chosen one, or the empty choice when none is
