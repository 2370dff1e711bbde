"""The manual callback (rules §4.1.4–5): the officer's list and task page, in scope only;
assign, upload, verdict; a letter or a visit needs the signed document first."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pinzhi.callbacks import rules
from pinzhi.callbacks.models import CallbackAttempt, CallbackStatus, ManualCallback

from .conftest import at, open_manual, t

pytestmark = pytest.mark.django_db


def detail(task):
    return reverse("callbacks-manual-detail", args=[task.policy.policy_no])


def post(client, task, action, data):
    url = reverse(f"callbacks-manual-{action}", args=[task.policy.policy_no])
    return client.post(url, data, follow=True)


def verdict(**kw):
    return {"method": "call", "outcome": "success", "phone_changed": "no",
            "at": "2026-03-20T09:30", "note": "", **kw}


@pytest.mark.parametrize("username, status", [
    ("officer", 200), ("hq", 200), ("admin", 200), ("officer_sz", 404),
    ("manager", 404), ("operator", 404), ("agent", 404), ("clerk", 404),
])
def test_task_page_in_scope_only(company, login, task, username, status):
    client = login(getattr(company.users, username))
    assert client.get(detail(task)).status_code == status


def test_list_in_scope_with_filters_and_overdue(company, login, task):
    other = open_manual(company, "M2", agent="A004")  # SZ's
    client = login(company.users.officer)
    with at(t(3, 20, 10)):  # due 03-16: overdue
        html = client.get(reverse("callbacks-manual")).content.decode()
    assert 'id="task-M1"' in html and 'id="task-M2"' not in html and "pz-overdue" in html
    html = client.get(reverse("callbacks-manual"), {"show": "mine"}).content.decode()
    assert 'id="task-M1"' not in html
    html = client.get(reverse("callbacks-manual"), {"show": "unassigned"}).content.decode()
    assert 'id="task-M1"' in html
    html = login(company.users.officer_sz).get(reverse("callbacks-manual")).content.decode()
    assert 'id="task-M2"' in html and 'id="task-M1"' not in html
    assert login(company.users.manager).get(reverse("callbacks-manual")).status_code == 404
    assert other.due_on == task.due_on


def test_assign_upload_and_verdict_end_the_task(company, login, task):
    officer = company.users.officer
    client = login(officer)
    with at(t(3, 20, 10)):
        html = client.get(detail(task)).content.decode()
        # the owners offered: officers who see the policy, not another sub-branch's
        assert f'value="{officer.pk}"' in html
        assert f'value="{company.users.officer_sz.pk}"' not in html
        post(client, task, "assign", {"owner": officer.pk})
        assert ManualCallback.objects.get(pk=task.pk).owner == officer
        html = client.get(reverse("callbacks-manual"), {"show": "mine"}).content.decode()
        assert 'id="task-M1"' in html

        upload = SimpleUploadedFile("回执.pdf", b"%PDF-1.4 signed", "application/pdf")
        html = post(client, task, "attach", {"file": upload}).content.decode()
        assert task.documents.count() == 1 and "回执.pdf" in html

        response = post(client, task, "verdict", verdict(method="letter", phone_changed="yes"))
    assert response.status_code == 200
    status = CallbackStatus.objects.get(policy=task.policy)
    assert status.status == rules.SUCCEEDED and status.phone_changed and status.condition_met
    task.refresh_from_db()
    assert task.closed_at == t(3, 20, 9, 30) and task.method == "letter"
    attempt = CallbackAttempt.objects.get(policy=task.policy, round="manual")
    assert attempt.recorded_by == officer and attempt.outcome == "success"
    html = response.content.decode()
    assert 'data-state="closed"' in html and 'id="verdict-form"' not in html
    with at(t(3, 20, 11)):  # recorded once
        html = post(client, task, "verdict", verdict(at="2026-03-20T10:30")).content.decode()
    assert "No manual callback of this policy awaits a verdict." in html
    assert CallbackAttempt.objects.filter(policy=task.policy, round="manual").count() == 1


def test_a_letter_verdict_without_a_document_is_refused(company, login, task):
    client = login(company.users.officer)
    with at(t(3, 20, 10)):
        html = post(client, task, "verdict", verdict(method="letter")).content.decode()
    assert "signed reply or confirmation" in html
    assert not CallbackAttempt.objects.filter(policy=task.policy, round="manual").exists()
    assert ManualCallback.objects.get(pk=task.pk).closed_at is None


def test_a_failure_verdict_and_its_checks(company, login, task):
    client = login(company.users.officer)
    with at(t(3, 20, 10)):
        # "phone changed" belongs to a success; a verdict before the task opened is refused
        html = post(client, task, "verdict", verdict(outcome="no_answer",
                                                     phone_changed="yes")).content.decode()
        assert "Only a success says whether the phone changed" in html
        html = post(client, task, "verdict", verdict(at="2026-02-20T10:00")).content.decode()
        assert "before the manual callback opened" in html
        post(client, task, "verdict", verdict(outcome="refused_self"))
    assert CallbackStatus.objects.get(policy=task.policy).status == rules.MANUAL_FAILED
    assert ManualCallback.objects.get(pk=task.pk).closed_at == t(3, 20, 9, 30)


def test_another_officer_cannot_act_on_the_task(company, login, task):
    client = login(company.users.officer_sz)
    with at(t(3, 20, 10)):
        assert post(client, task, "verdict", verdict()).status_code == 404
        assert post(client, task, "assign", {"owner": company.users.officer_sz.pk}) \
            .status_code == 404
    assert not CallbackAttempt.objects.filter(policy=task.policy, round="manual").exists()


def test_documents_are_downloaded_by_those_who_see_the_task(company, login, task):
    from pinzhi.callbacks.services import manual_attach

    doc = manual_attach(task=task, file=SimpleUploadedFile("visit.jpg", b"jpg"),
                        by=company.users.officer)
    url = reverse("callbacks-manual-document", args=[task.policy.policy_no, doc.pk])
    response = login(company.users.officer).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"jpg"
    assert login(company.users.officer_sz).get(url).status_code == 404
