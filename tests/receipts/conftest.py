import datetime as dt

import pytest

from tests.factories import make_policy


@pytest.fixture
def a002(company):
    """The example of examples.md: agent A002, a TRAD10 policy effective 2026-01-31."""
    return make_policy("R1", company.agents["A002"], company.products["TRAD10"],
                       signed_on=dt.date(2026, 1, 20), printed_on=dt.date(2026, 1, 25),
                       effective_on=dt.date(2026, 1, 31))


def rule_cases(policy_no, *, live=True):
    from pinzhi.quality.models import Case

    cases = Case.objects.filter(policy__policy_no=policy_no, type__code="receipt_not_returned")
    return cases.filter(voided_at__isnull=True) if live else cases


@pytest.fixture(autouse=True)
def english(client):
    """The pages are Chinese first; these tests read the services' English words."""
    client.cookies["django_language"] = "en"
    return client
