import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import PASSWORD

LOGIN = reverse("login")
HOME = reverse("home")


def sign_in(client, username, password=PASSWORD, **extra):
    """The login page, as a browser posts it, read in English (the msgids)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def signed_in(client) -> bool:
    return client.get(HOME).status_code == 200


@pytest.fixture
def clock(travel):
    travel("2026-06-01T09:00")
    return travel
