"""Shared fixtures: a small company built by hand, users of every role."""

import os

import pytest

# The browser tests' fixtures (`browser`, `screenshots`), for every folder of tests.
pytest_plugins = ["tests.browser"]

# Playwright's sync API runs an event loop in the test thread; the ORM calls of the
# test itself are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def company(db):
    from tests.factories import build_company

    return build_company()


def pytest_configure(config):
    from django.conf import settings

    # Hashing a password the production way takes ~0.3 s; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
