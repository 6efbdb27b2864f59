from __future__ import annotations

import base64
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from awas.core import selectors
from awas.core.access import allow, public, signed_in
from awas.core.forms import LoginForm, TokenForm
from awas.core.request_context import client_ip
from awas.core.roles import ALL_ROLES, Role
from awas.core.services import users as user_services

login = public(
    auth_views.LoginView.as_view(
        template_name="core/login.html", authentication_form=LoginForm, redirect_authenticated_user=True
    )
)
logout = signed_in(auth_views.LogoutView.as_view())


def _next_url(request: HttpRequest, default: str = "core:home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(default)


def _next_param(request: HttpRequest) -> str:
    return request.POST.get("next") or request.GET.get("next") or ""


@signed_in
def password_change(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = PasswordChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user_services.user_set_password(user=user, password=form.cleaned_data["new_password1"], actor=user)
        update_session_auth_hash(request, user)
        messages.success(request, _("Your password has been changed."))
        return redirect("core:home")
    return render(request, "core/password_change.html", {"form": form})


@signed_in
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: show the QR code and secret, confirm with the first code."""
    user: Any = request.user
    if any(True for _ in devices_for_user(user, confirmed=True)):
        return redirect("core:otp_verify")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or request.method == "GET":
        device = user_services.otp_device_start(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if user_services.otp_device_confirm(device=device, token=form.cleaned_data["token"]):
            otp_login(request, device)
            messages.success(request, _("Your authenticator app is set up."))
            return redirect(_next_url(request))
        form.add_error(
            "token", _("That code is not right. Check the time on your phone and try the newest code.")
        )
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return render(
        request,
        "core/otp_setup.html",
        {"form": form, "qr_svg": qr_svg, "secret": secret, "next": _next_param(request)},
    )


@signed_in
def otp_verify(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip().replace(" ", "")
        for device in devices_for_user(user, confirmed=True):
            if device.verify_token(token):
                otp_login(request, device)
                return redirect(_next_url(request))
        user_services.otp_failure_record(user=user, ip_address=client_ip(request))
        form.add_error("token", _("That code is not right. Try the newest code from your app."))
    return render(request, "core/otp_verify.html", {"form": form, "next": _next_param(request)})


DEADLINE_ROLES = frozenset({Role.ADMIN, Role.PIMPINAN, Role.STAF_PP})


@allow(ALL_ROLES)
def home(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    # Who sets deadlines or answers for them hears that the holiday calendar ends too soon.
    missing = selectors.holiday_years_missing(timezone.localdate()) if user.role in DEADLINE_ROLES else []
    # The same roles hear that e-mail is not going out: pelapor are not being told their news.
    mail_stuck = selectors.mail_stuck() if user.role in DEADLINE_ROLES else None
    return render(request, "core/home.html", {"holiday_years_missing": missing, "mail_stuck": mail_stuck})


@allow(Role.ADMIN, Role.PIMPINAN)
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = selectors.audit_entries(request.user, action=request.GET.get("action", ""))
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page, "action": request.GET.get("action", "")})
