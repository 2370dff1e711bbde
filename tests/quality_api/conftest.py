"""Cases of the small company (tests.factories) for the quality API and files.

A001 (T1, GZ) has a draft and a confirmed case, A003 (T2, GZ) a confirmed one and A004
(T3, SZ) a draft: each role's scope (rules §9) sees a different set.
"""

import datetime as dt

import pytest
from rest_framework.test import APIClient

API = "/api/v1/"


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


def _case(company, agent, code, day, **kw):
    from pinzhi.quality.services import case_draft

    return case_draft(agent=company.agents[agent], violation_code=code, occurred_on=day,
                      source="audit", by=company.users.officer, found_on=day, **kw)


@pytest.fixture
def cases(company):
    """C1 draft (A001), C2 confirmed (A001), C3 confirmed (A003), C4 draft (A004)."""
    from pinzhi.quality.services import case_confirm

    users = company.users
    made = {
        "C1": _case(company, "A001", "misleading_sales", dt.date(2026, 3, 12), case_no="C1",
                    policy=company.policies["P1"]),
        "C2": _case(company, "A001", "notice_late", dt.date(2026, 5, 11), case_no="C2"),
        "C3": _case(company, "A003", "forged_signature", dt.date(2026, 7, 2), case_no="C3"),
        "C4": _case(company, "A004", "terms_changed", dt.date(2026, 4, 1), case_no="C4"),
    }
    case_confirm(case=made["C2"], by=users.officer)
    case_confirm(case=made["C3"], by=users.officer)
    made["C4"].found_by = users.officer_sz
    made["C4"].save(update_fields=["found_by"])
    for case in made.values():
        case.refresh_from_db()
    return made
