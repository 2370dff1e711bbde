"""The sign-in pages beyond Django's login and logout (included under /account/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("two-factor/setup/", views.totp_setup, name="account-totp-setup"),
    path("two-factor/", views.totp_verify, name="account-totp-verify"),
]
