"""Clients of the API, signed in by session (as the screens are) or by token."""

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def api_as(company):
    """`api_as("officer")`: a client with that user's session."""

    def make(username: str) -> APIClient:
        client = APIClient()
        client.force_login(getattr(company.users, username))
        return client

    return make
