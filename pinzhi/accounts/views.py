"""Signing in (issue 9): the login page (lockout message, expired password), the password
change page, and the TOTP second factor's enrolment and verification pages."""

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from pinzhi.core.audit import audit

from .lockout import lockout_minutes
from .signin import PASSWORD_EXPIRED, password_expired


def _next(request, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return reverse(default)


def _step(name: str, request) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next(request)})}"


class LoginView(auth_views.LoginView):
    """Django's login page; a password past the profile's age is flagged for a change."""

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        if password_expired(user):
            self.request.session[PASSWORD_EXPIRED] = True
            audit(action="auth.password_expired", actor=user, kind="user",
                  key=user.get_username(), request=self.request,
                  data={"changed_at": user.password_changed_at.isoformat()})
        return response


def locked_out(request, original_response=None, credentials=None):
    """Axes' answer to a locked user's sign-in: the login page, saying why, with 429."""
    form = AuthenticationForm(request, initial={
        "username": (credentials or {}).get("username", "")})
    return render(request, "registration/login.html", {
        "form": form, "locked": True, "lockout_minutes": lockout_minutes(),
        "next": request.POST.get("next", ""),
    }, status=429)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's change page (old password, new one twice, checked by the profile's
    validators); also where an expired password sends the user."""

    template_name = "registration/password_change.html"
    success_url = reverse_lazy("home")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs),
                "expired": bool(self.request.session.get(PASSWORD_EXPIRED))}

    def form_valid(self, form):
        response = super().form_valid(form)
        self.request.session.pop(PASSWORD_EXPIRED, None)
        user = form.user
        audit(action="auth.password_changed", actor=user, kind="user",
              key=user.get_username(), request=self.request)
        messages.success(self.request, _("Your password was changed."))
        return response


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code from your authenticator app"), max_length=8,
        widget=forms.TextInput(attrs={
            "class": "form-control form-control-lg text-center", "autocomplete": "one-time-code",
            "inputmode": "numeric", "pattern": "[0-9]*", "autofocus": True}))

    def clean_token(self):
        return self.cleaned_data["token"].strip().replace(" ", "")


def _pending_device(user) -> TOTPDevice:
    """The user's unconfirmed device: the same secret until it is confirmed, so a reload
    of the page does not invalidate a code already scanned."""
    device = user.totpdevice_set.filter(confirmed=False).order_by("id").first()
    return device or TOTPDevice.objects.create(user=user, name="authenticator",
                                               confirmed=False)


@login_required
def totp_setup(request):
    """Enrolment: scan the QR code (or type the key), then give a code to confirm."""
    user = request.user
    if user.totpdevice_set.filter(confirmed=True).exists():
        return redirect(_step("account-totp-verify", request))
    device = _pending_device(user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit(action="auth.totp_enrolled", actor=user, kind="user",
                  key=user.get_username(), request=request)
            messages.success(request, _("Your authenticator is set up."))
            return redirect(_next(request))
        audit(action="auth.totp_failed", actor=user, kind="user", key=user.get_username(),
              data={"step": "enrol"}, request=request)
        form.add_error("token", _("This code is not right: check the time on your phone "
                                  "and give the code now shown."))
    uri = device.config_url
    return render(request, "registration/totp_setup.html", {
        "form": form, "otpauth_uri": uri, "next": request.GET.get("next", ""),
        "secret": _grouped(uri.split("secret=")[1].split("&")[0]),
        "qr_svg": segno.make(uri, error="m").svg_inline(scale=5, title="TOTP"),
    })


def _grouped(secret: str) -> str:
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


@login_required
def totp_verify(request):
    """The second step of every sign-in for the roles that need it."""
    user = request.user
    if not user.totpdevice_set.filter(confirmed=True).exists():
        return redirect(_step("account-totp-setup", request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            audit(action="auth.totp_verified", actor=user, kind="user",
                  key=user.get_username(), request=request)
            return redirect(_next(request))
        audit(action="auth.totp_failed", actor=user, kind="user", key=user.get_username(),
              data={"step": "verify"}, request=request)
        form.add_error("token", _("This code is not right, or came too soon after a wrong "
                                  "one: wait for the next code and try again."))
    return render(request, "registration/totp_verify.html",
                  {"form": form, "next": request.GET.get("next", "")})
