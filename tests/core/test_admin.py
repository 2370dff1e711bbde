"""The admin: configuration pages open; facts and logs cannot be changed there."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = ["/admin/", "/admin/accounts/user/", "/admin/core/event/", "/admin/core/parameter/",
         "/admin/core/calendarday/", "/admin/org/unit/", "/admin/org/agent/",
         "/admin/policies/policy/", "/admin/quality/violationtype/",
         "/admin/quality/case/", "/admin/core/parameter/add/"]


@pytest.mark.parametrize("url", PAGES)
def test_admin_pages_open_for_the_administrator(client, company, url):
    company.users.admin.is_superuser = True
    company.users.admin.save()
    client.force_login(company.users.admin)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", ["/admin/policies/policy/add/", "/admin/org/agent/add/",
                                 "/admin/quality/case/add/", "/admin/core/event/add/"])
def test_facts_cannot_be_added_in_the_admin(client, company, url):
    company.users.admin.is_superuser = True
    company.users.admin.save()
    client.force_login(company.users.admin)
    assert client.get(url).status_code == 403


def test_a_policy_page_in_the_admin_shows_no_id_number(client, company):
    company.users.admin.is_superuser = True
    company.users.admin.save()
    client.force_login(company.users.admin)
    policy = company.policies["P1"]
    page = client.get(f"/admin/policies/policy/{policy.pk}/change/").content.decode()
    assert policy.applicant_id_number not in page and policy.applicant_phone not in page
