"""The rank assessment on the small company (tests.factories), 2026H1 decided in July.

`assessed`: the factories' policies voided (nothing to measure: no objective falls
short), ranks set as the catalogue names them, and then
- A001 业务主任: the worked example's cases (examples.md), 2026H1 `failed` → demote;
- A002 业务经理: nothing → eligible → promote to 高级业务经理;
- A003 业务主任: one confirmed benefit_promised (20 points) → `termination`;
- A004 业务员 (SZ): nothing → eligible → promote to 业务主任.
The clock then stands at 2026-07-10 09:00.
"""

import datetime as dt

import pytest

from pinzhi.org.models import Agent
from pinzhi.policies.models import Policy
from pinzhi.quality.services import case_confirm, case_draft
from tests.quality_letters.test_warning_letter import worked_example

RANKS = {"A001": "业务主任", "A002": "业务经理", "A003": "业务主任", "A004": "业务员"}


@pytest.fixture
def assessed(company, travel):
    travel("2026-06-10T09:00")
    Policy.objects.update(voided_at=dt.datetime.fromisoformat("2026-06-10T09:00+08:00"))
    for code, rank in RANKS.items():
        Agent.objects.filter(code=code).update(rank=rank)
        company.agents[code].refresh_from_db()
    worked_example(company)
    case = case_draft(agent=company.agents["A003"], violation_code="benefit_promised",
                      occurred_on=dt.date(2026, 5, 20), source="audit",
                      by=company.users.officer, evidence="录音", found_on=dt.date(2026, 6, 1))
    case_confirm(case=case, by=company.users.officer)
    travel("2026-07-10T09:00")
    return company


def rank_of(code: str) -> str:
    return Agent.objects.get(code=code).rank
