"""Every officer page renders in the default language (Simplified Chinese), for a
user with a unit and for head office."""

import pytest
from django.urls import reverse

from pinzhi.callbacks.services import request_add

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", ["officer", "hq", "admin"])
def test_pages_render_in_chinese(client, company, task, username):
    client.cookies.pop("django_language")
    request_add(policy=company.policies["P1"], kind="early", by=company.users.officer,
                earliest_on=task.due_on)
    client.force_login(getattr(company.users, username))
    urls = [reverse("callbacks-manual"), reverse("callbacks-manual") + "?show=closed",
            reverse("callbacks-manual-detail", args=["M1"]), reverse("callbacks-requests"),
            reverse("callbacks-request-new", args=["P1"]), reverse("callbacks-late"),
            reverse("callbacks-late") + "?show=manual", reverse("callbacks-late")
            + "?show=completed&month=2026-02", reverse("callbacks-shared-phones"),
            reverse("policy-detail", args=["M1"])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'lang="zh-hans"' in response.content.decode(), url
