"""The training pages (issue 8): remedial training owed in scope with the training-done
figures, a session recorded and attended from the pages, and the agent's training file."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from pinzhi.training.assigning import remedial_assign
from pinzhi.training.models import RemedialAssignment
from tests.quality_letters.test_warning_letter import worked_example

pytestmark = pytest.mark.django_db


@pytest.fixture
def owed(company, travel):
    travel("2026-06-10T09:00")
    worked_example(company)
    travel("2026-06-20T09:00")
    remedial_assign(dt.datetime.fromisoformat("2026-06-20T09:00+08:00"))
    return company


def signed_in(client, user):
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def figure(html: str, name: str) -> str:
    return re.search(rf'data-figure="{name}">([^<]*)<', html).group(1)


def test_owed_then_done_from_the_pages(client, owed):
    officer = signed_in(client, owed.users.officer)
    html = officer.get(reverse("training-list")).content.decode()
    assert 'id="remedial-A001-2026H1"' in html and 'data-state="owed"' in html
    assert (figure(html, "assigned"), figure(html, "done"), figure(html, "done_rate")) == (
        "1", "0", "0%")
    made = officer.post(reverse("training-session-new"), {
        "session_no": "S9", "course": owed_course("REMEDIAL"), "held_on": "2026-06-20",
        "unit": owed.units["GZ"].pk, "trainer": "李老师"})
    assert made.status_code == 302 and made["Location"] == "/training/sessions/S9/"
    unknown = officer.post("/training/sessions/S9/attendance/", {"agent_code": "A404"})
    assert "No such agent." in unknown.content.decode()
    officer.post("/training/sessions/S9/attendance/", {"agent_code": "A001"})
    twice = officer.post("/training/sessions/S9/attendance/", {"agent_code": "A001"},
                         follow=True)
    assert "A001 attended S9 already" in twice.content.decode()
    html = officer.get(reverse("training-list")).content.decode()
    assert (figure(html, "done"), figure(html, "done_rate")) == ("1", "100%")
    file = officer.get(reverse("training-agent", args=["A001"])).content.decode()
    assert 'data-state="done"' in file and "品质补训" in file  # the session, in his file


def test_scope(client, owed):
    html = signed_in(client, owed.users.officer_sz).get(reverse("training-list"))
    assert 'id="remedial-A001' not in html.content.decode()
    assert signed_in(client, owed.users.officer_sz).get(
        reverse("training-agent", args=["A001"])).status_code == 404
    assert signed_in(client, owed.users.agent).get(reverse("training-list")).status_code == 302


def owed_course(code):
    from pinzhi.training.models import Course

    return Course.objects.get(code=code).pk


def test_the_api(owed):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(owed.users.officer)
    [row] = api.get("/api/v1/remedial-trainings/").json()["results"]
    assert (row["agent_code"], row["state"], row["due_on"]) == ("A001", "owed", "2026-08-19")
    assert api.get(f"/api/v1/remedial-trainings/{RemedialAssignment.objects.get().pk}/"
                   ).json()["state"] == "owed"
    api.force_authenticate(owed.users.officer_sz)
    assert api.get("/api/v1/remedial-trainings/").json()["results"] == []
