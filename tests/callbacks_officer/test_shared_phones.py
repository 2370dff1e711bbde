"""Phones shared by more than N different applicants (rules §4.6), for review."""

import pytest
from django.urls import reverse

from pinzhi.core.models import Parameter
from tests.factories import make_policy

pytestmark = pytest.mark.django_db

FOUR = "13700001111"
THREE = "13600002222"


@pytest.fixture
def shared(company):
    """FOUR: 4 applicants; THREE: 3 applicants over 4 policies (one applicant twice)."""
    trad = company.products["TRAD10"]
    for i in range(4):
        make_policy(f"F{i}", company.agents["A001"], trad, applicant_phone=FOUR,
                    applicant_id_number=f"44010419700101{i:04d}")
    for i, applicant in enumerate([1, 2, 3, 3]):
        make_policy(f"S{i}", company.agents["A003"], trad, applicant_phone=THREE,
                    applicant_id_number=f"44010419800101{applicant:04d}")


def page(client):
    return client.get(reverse("callbacks-shared-phones")).content.decode()


def test_a_phone_of_four_applicants_is_listed_not_one_of_three(company, login, shared):
    html = page(login(company.users.officer))
    assert "137****1111" in html and "136****2222" not in html
    assert FOUR not in html  # masked (rules §9)
    assert 'href="/policies/F0/"' in html and 'href="/policies/F3/"' in html


def test_only_phones_in_scope_and_for_officers(company, login, shared):
    assert "137****1111" not in page(login(company.users.officer_sz))
    assert login(company.users.manager).get(reverse("callbacks-shared-phones")) \
        .status_code == 404


def test_the_limit_is_a_setting(company, login, shared):
    import datetime as dt

    Parameter.objects.create(key="callbacks.shared_phone_max_applicants",
                             valid_from=dt.date(2020, 1, 1), value=2)
    html = page(login(company.users.officer))
    assert "137****1111" in html and "136****2222" in html
