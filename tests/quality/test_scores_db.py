"""Half-year scores from the database: branch overrides of thresholds and of the tier
reading apply to their subtree only (rules §7.1)."""

import datetime as dt

import pytest

from pinzhi.core.models import Parameter
from pinzhi.quality.scores import half_year_scores
from pinzhi.quality.services import case_record_by_rule, scheme_add_version

pytestmark = pytest.mark.django_db


def overdue_documents(agent, n):
    for i in range(n):
        case_record_by_rule(rule_key=f"doc:{agent.code}:{i:03}", agent=agent,
                            violation_code="documents_overdue",
                            occurred_on=dt.date(2026, 3, 1) + dt.timedelta(days=i))


def scores(**kw):
    return {a.code: s for a, s in half_year_scores("2026H1", as_of=dt.date(2026, 6, 30), **kw)}


def test_branch_overrides_apply_to_their_subtree(company):
    overdue_documents(company.agents["A001"], 11)  # GZ
    overdue_documents(company.agents["A004"], 11)  # SZ
    # SZ reads the tier the other way, and has stricter thresholds
    Parameter.objects.create(key="quality.document_tier_mode", unit=company.units["SZ"],
                             valid_from=dt.date(2026, 1, 1), value="all")
    scheme_add_version(valid_from=dt.date(2026, 1, 1), by=company.users.hq,
                       unit=company.units["SZ"], single_case_termination_tenths=200,
                       lines=[[0, "good", []], [30, "warned", ["warning_letter"]],
                              [200, "failed", ["no_maintenance"]]])
    result = scores()
    assert (str(result["A001"].points), result["A001"].standing) == ("12.0", "failed")
    assert (str(result["A004"].points), result["A004"].standing) == ("22.0", "failed")
    assert result["A002"].points_tenths == 0 and result["A002"].standing == "good"


def test_agents_who_left_before_the_half_year_are_not_scored(company):
    gone = company.agents["A003"]
    gone.status, gone.left_on = "terminated", dt.date(2025, 12, 31)
    gone.save()
    assert "A003" not in scores() and "A001" in scores()
