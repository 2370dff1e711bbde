import datetime as dt

import pytest


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Evidence files go to a temporary folder, not the checkout's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def draft(company):
    """A misleading-sales case drafted from a callback against agent A001 (unit GZ)."""
    from pinzhi.quality.services import case_draft

    return case_draft(agent=company.agents["A001"], violation_code="misleading_sales",
                      occurred_on=dt.date(2026, 3, 12), source="callback",
                      by=company.users.operator, policy=company.policies["P1"],
                      evidence="回访第4题客户答“否”", found_on=dt.date(2026, 3, 13))


@pytest.fixture
def confirmed(company, draft):
    from pinzhi.quality.services import case_confirm

    return case_confirm(case=draft, by=company.users.officer)


@pytest.fixture
def appealed(company, confirmed):
    from pinzhi.quality.services import case_appeal

    return case_appeal(case=confirmed, by=company.users.agent, reason="已向客户说明")


@pytest.fixture
def login(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
