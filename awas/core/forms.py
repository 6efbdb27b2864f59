from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from awas.core.text import printable


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


class PrintableTextMixin:
    """Every text the form accepts loses the invisible control characters that no export or
    letter could hold (``awas.core.text``): pasted from a phone, they would be kept unseen and
    break every Excel file and Word letter of the case later."""

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}  # type: ignore[misc]
        for name, value in data.items():
            if isinstance(value, str):
                data[name] = printable(value)
        return data


class PrintableTextForm(PrintableTextMixin, forms.Form):
    pass
