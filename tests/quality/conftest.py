import datetime as dt

import pytest


@pytest.fixture
def draft(company):
    """A misleading-sales case drafted from a callback against agent A001 (unit GZ)."""
    from pinzhi.quality.services import case_draft

    return case_draft(agent=company.agents["A001"], violation_code="misleading_sales",
                      occurred_on=dt.date(2026, 3, 12), source="callback",
                      by=company.users.operator, policy=company.policies["P1"],
                      evidence="回访第4题客户答“否”", found_on=dt.date(2026, 3, 13))
