"""The audit trail (issue 9): sign-ins, failed sign-ins, refusals, downloads and exports
are rows with who, when, from where and what; rows are never changed, and on PostgreSQL
never deleted before 6 months; administrators read them, masked, on /audit/."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from pinzhi.core.models import Event
from pinzhi.web.audit import AuditMiddleware
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
FROM = {"REMOTE_ADDR": "10.1.2.3"}


def rows(action):
    return list(Event.objects.filter(action=action).order_by("id"))


def test_a_sign_in_and_a_failed_one_are_logged_with_the_address(company, client):
    client.post(reverse("login"), {"username": "officer", "password": "wrong"}, **FROM)
    client.post(reverse("login"), {"username": "officer", "password": PASSWORD}, **FROM)
    failed, = rows("auth.login_failed")
    assert (failed.key, failed.actor, failed.ip) == ("officer", None, "10.1.2.3")
    login, = rows("auth.login")
    assert (login.actor, login.ip) == (company.users.officer, "10.1.2.3")
    client.post(reverse("logout"), **FROM)
    assert rows("auth.logout")[0].actor == company.users.officer


def test_a_refusal_is_logged_and_so_is_another_scopes_object(company, client):
    client.force_login(company.users.officer_sz)
    client.get(reverse("agent-detail", args=["A001"]), **FROM)  # GZ's agent: a 404
    client.get(reverse("audit"), **FROM)  # not an administrator: 403
    denied = [(e.key, e.data["status"], e.actor.username, e.ip)
              for e in rows("access.denied")]
    assert denied == [("/agents/A001/", 404, "officer_sz", "10.1.2.3"),
                      ("/audit/", 403, "officer_sz", "10.1.2.3")]


def test_a_downloaded_file_is_logged(company):
    request = RequestFactory().get("/settlement/2026-05/statement.pdf?agent=A001", **FROM)
    request.user = company.users.sales

    def download(_request):
        response = HttpResponse(b"%PDF")
        response["Content-Disposition"] = 'inline; filename="statement.pdf"'
        return response

    AuditMiddleware(download)(request)
    AuditMiddleware(lambda _r: HttpResponse("page"))(request)  # a page: no row
    event, = rows("export.downloaded")
    assert (event.key, event.actor, event.ip, event.data["query"]) == (
        "/settlement/2026-05/statement.pdf", company.users.sales, "10.1.2.3", "agent=A001")
    assert "statement.pdf" in event.data["file"]


def test_an_export_from_the_command_line_is_logged(company, tmp_path):
    out = tmp_path / "scores.csv"
    call_command("export", "scores", "2026H1", "--as-of", "2026-06-30", "--out", str(out))
    event, = rows("export.written")
    assert (event.kind, event.key, event.data["file"], event.data["period"]) == (
        "export", "scores", str(out), "2026H1")


def test_rows_are_never_changed(company):
    event = Event.objects.create(action="test.row", kind="x", key="1")
    with pytest.raises(DatabaseError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(action="changed")
    with pytest.raises(RuntimeError):
        event.save()
    assert Event.objects.get(pk=event.pk).action == "test.row"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="enforced on PostgreSQL")
def test_rows_are_kept_six_months_then_may_be_purged(company):
    from django.utils import timezone

    young = Event.objects.create(action="test.young")
    old = Event.objects.create(action="test.old",
                               at=timezone.now() - dt.timedelta(days=200))
    with pytest.raises(DatabaseError), transaction.atomic():
        Event.objects.filter(pk=young.pk).delete()
    Event.objects.filter(pk=old.pk).delete()
    assert list(Event.objects.filter(action__startswith="test.").values_list(
        "action", flat=True)) == ["test.young"]


def test_the_audit_page_is_for_administrators_and_masks_values(company, client):
    Event.objects.create(action="agent.updated", kind="agent", key="A001",
                         actor=company.users.hq,
                         data={"changes": {"phone": ["13800000001", "13900000009"]}})
    client.force_login(company.users.admin)
    page = client.get(reverse("audit"), {"action": "agent."}).content.decode()
    assert "agent.updated" in page and "A001" in page
    assert "13800000001" not in page and "138****0001" in page
    page = client.get(reverse("audit"), {"actor": "nobody"}).content.decode()
    assert "agent.updated" not in page


def test_a_rule_changed_in_the_admin_is_logged_with_who_and_where(company, client):
    company.users.admin.is_superuser = True
    company.users.admin.save()
    client.force_login(company.users.admin)
    response = client.post(reverse("admin:core_parameter_add"), {
        "key": "grievances.reply_days", "unit": "", "valid_from": "2026-07-01",
        "value": "10", "note": "总公司发文"}, **FROM)
    assert response.status_code == 302
    event, = rows("admin.added")
    assert (event.actor, event.kind, event.ip) == (company.users.admin, "parameter",
                                                   "10.1.2.3")


def test_behind_our_proxy_the_address_it_added_is_the_one_kept(company, settings):
    settings.PINZHI_TRUST_X_FORWARDED_FOR = True
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1",
                                   HTTP_X_FORWARDED_FOR="1.1.1.1, 203.0.113.7")
    from pinzhi.core.audit import client_ip

    assert client_ip(request) == "203.0.113.7"  # 1.1.1.1 is what the client claimed
    settings.PINZHI_TRUST_X_FORWARDED_FOR = False
    assert client_ip(request) == "127.0.0.1"
