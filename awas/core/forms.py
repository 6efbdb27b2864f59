from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.forms.utils import flatatt
from django.http import QueryDict
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from awas.core.text import printable


class PlainSelect(forms.Select):
    """A ``<select>`` written out in Python rather than through two templates per option.

    The same HTML as Django's own (``select.html``, ``select_option.html``, ``attrs.html``); the
    desa list has 390 options, and rendering them the template way took some 40 ms of every form
    page that shows it, the public reporting form first.
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts: list[str] = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '\n  <option value="{}"{}>{}</option>',
                    str(option["value"]),
                    flatatt(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # noqa: S308  every part above is escaped by format_html


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("6-digit code from your authenticator app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Wrong username or password. Capital and small letters count."),
        "inactive": _("This account has been deactivated. Ask the administrator."),
    }


# The longest text a text area takes: about eight printed pages. A kajian or a berita acara is
# printed as a PDF, which for a megabyte of text would keep a worker busy for minutes.
LONG_TEXT_MAX = 20_000


class PrintableTextMixin:
    """Every text sent to the form loses the invisible control characters that no export or
    letter could hold (``awas.core.text``): pasted from a phone, they would be kept unseen and
    break every Excel file and Word letter of the case later. They are dropped before the fields
    validate, so a required field sent only such characters is reported empty. A text area
    without its own limit takes at most ``LONG_TEXT_MAX`` characters."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in getattr(self, "fields", {}).values():
            text_area = isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea)
            if text_area and field.max_length is None:
                field.max_length = LONG_TEXT_MAX
                field.validators.append(MaxLengthValidator(LONG_TEXT_MAX))
                field.widget.attrs["maxlength"] = str(LONG_TEXT_MAX)
        data: Any = getattr(self, "data", None)
        if not getattr(self, "is_bound", False) or data is None:
            return
        if hasattr(data, "lists"):  # a QueryDict (request.POST): immutable, several values a key
            # A new one, not ``data.copy()``: that deep-copies every value first, only for each to be
            # replaced (a tenth of the public filing's time).
            clean: Any = QueryDict(mutable=True, encoding=getattr(data, "encoding", None))
            for key, values in data.lists():
                clean.setlist(key, [printable(v) if isinstance(v, str) else v for v in values])
        else:
            clean = {key: printable(v) if isinstance(v, str) else v for key, v in data.items()}
        self.data = clean


class PrintableTextForm(PrintableTextMixin, forms.Form):
    pass
