"""Planning, checking, findings and their rectification through the services (issue 8):
who may, in which scope, and a case drafted only when a finding shows a violation."""

import pytest

from pinzhi.core.models import Event, Parameter
from pinzhi.core.parameters import DEFAULTS
from pinzhi.inspections import services
from pinzhi.inspections.models import ChecklistItem, Finding, InspectionPlan
from pinzhi.inspections.reading import finding_facts
from pinzhi.quality.models import Case, CaseSource, CaseStatus

from .conftest import d, finding, plan

pytestmark = pytest.mark.django_db
Refused = services.InspectionRefused


def test_a_plan_is_numbered_and_logged(company):
    made = services.plan_create(unit=company.units["T1"], kind="inspection",
                                period_from=d(4, 1), period_to=d(6, 30), title="检查",
                                by=company.users.officer)
    assert made.plan_no == f"J202604{made.pk:05d}"
    assert Event.objects.filter(action="inspection_plan.planned", key=made.plan_no).exists()


@pytest.mark.parametrize("user, unit, kind, why", [
    ("officer", "SZ", "inspection", "outside officer's scope"),  # another sub-branch
    ("clerk", "GZ", "inspection", "may not plan"),  # no inspector
    ("manager", "T1", "inspection", "may not plan"),  # a manager: self-inspections only
    ("manager", "T2", "self_inspection", "outside manager's scope"),
    ("agent", "T1", "self_inspection", "may not plan"),
])
def test_who_may_plan_where(company, user, unit, kind, why):
    with pytest.raises(Refused, match=why):
        plan(company, unit=unit, kind=kind, by=getattr(company.users, user))
    assert not InspectionPlan.objects.exists()


def test_a_manager_plans_his_teams_self_inspection(company):
    made = plan(company, unit="T1", kind="self_inspection", by=company.users.manager)
    assert made.planned_by == company.users.manager
    item = services.checklist_add(plan=made, text="回执", by=company.users.manager)
    assert item.seq == 1


def test_refusals_of_a_plan(company):
    with pytest.raises(Refused, match="before period_from"):
        services.plan_create(plan_no="J1", unit=company.units["GZ"], kind="inspection",
                             period_from=d(6, 1), period_to=d(5, 1), title="x",
                             by=company.users.officer)
    plan(company)
    with pytest.raises(Refused, match="exists already"):
        plan(company)


def test_the_checklist_from_a_template_and_its_results(company):
    j1 = plan(company)
    services.checklist_add(plan=j1, text="展业证", by=company.users.officer)
    copied = services.checklist_from_template(plan=j1, template="standard",
                                              by=company.users.officer)
    assert [i.seq for i in copied] == [2, 3, 4, 5, 6, 7]
    receipt = ChecklistItem.objects.get(plan=j1, seq=3)
    assert receipt.violation_type.code == "receipt_not_returned"
    services.item_check(item=receipt, result="failed", checked_on=d(5, 2),
                        by=company.users.officer)
    receipt.refresh_from_db()
    assert (receipt.result, receipt.checked_by) == ("failed", company.users.officer)
    with pytest.raises(Refused, match="in the future"):
        services.item_check(item=receipt, result="passed", checked_on=d(6, 2),
                            by=company.users.officer)
    with pytest.raises(Refused, match="may not inspect"):
        services.item_check(item=receipt, result="passed", checked_on=d(5, 2),
                            by=company.users.officer_sz)
    with pytest.raises(Refused, match="template nope is unknown"):
        services.checklist_from_template(plan=j1, template="nope", by=company.users.officer)


def test_a_finding_takes_the_default_deadline_and_no_case_without_a_violation(company):
    j1 = plan(company)
    f1 = finding(company, j1, "F1", found=(5, 1), agent="A001")
    assert (f1.due_on, f1.case) == (d(5, 31), None)
    assert not Case.objects.exists()
    given = finding(company, j1, "F2", due_on=d(5, 10))
    assert given.due_on == d(5, 10)


def test_the_deadline_parameter_of_the_unit(company):
    Parameter.objects.create(key="inspections.rectification_days", unit=company.units["GZ"],
                             valid_from=d(1, 1), value=10)
    assert DEFAULTS["inspections.rectification_days"] == 30
    assert finding(company, plan(company), found=(5, 1)).due_on == d(5, 11)


def test_a_finding_with_a_violation_drafts_a_case(company):
    j1 = plan(company)
    item = services.checklist_add(plan=j1, text="回执", violation_code="receipt_not_returned",
                                  by=company.users.officer)
    f = finding(company, j1, "F1", agent="A001", item=item,
                violation_code="receipt_not_returned")
    case = f.case
    assert (case.agent.code, case.type.code, case.status, case.source) == (
        "A001", "receipt_not_returned", CaseStatus.DRAFT, CaseSource.AUDIT)
    assert "J1" in case.evidence and "F1" in case.evidence


@pytest.mark.parametrize("kw, why", [
    ({"violation_code": "receipt_not_returned"}, "needs the agent"),
    ({"agent": "A004"}, "not of unit GZ"),
    ({"owner": "officer_sz"}, "outside his scope"),
    ({"owner": "manager"}, "outside his scope"),  # his team, not the sub-branch
    ({"owner": "agent"}, "outside his scope"),
    ({"found": (3, 31)}, "before 2026-04-01"),
    ({"found": (6, 2)}, "in the future"),
    ({"agent": "A001", "violation_code": "no_such"}, "violation_code no_such is unknown"),
    ({"by": "clerk"}, "may not inspect"),
    ({"due_on": (4, 30)}, "before found_on"),
])
def test_refused_findings_change_nothing(company, kw, why):
    j1 = plan(company)
    if "owner" in kw:
        kw["owner"] = getattr(company.users, kw["owner"])
    if "by" in kw:
        kw["by"] = getattr(company.users, kw["by"])
    if "due_on" in kw:
        kw["due_on"] = d(*kw["due_on"])
    with pytest.raises(Refused, match=why):
        finding(company, j1, **kw)
    assert not Finding.objects.exists() and not Case.objects.exists()


def test_a_finding_under_another_plans_item_is_refused(company):
    j1, j2 = plan(company), plan(company, "J2", unit="T1")
    item = services.checklist_add(plan=j2, text="x", by=company.users.officer)
    with pytest.raises(Refused, match="not on plan J1"):
        finding(company, j1, item=item)


def test_rectified_by_the_owner_and_verified_by_another(company, clock):
    f = finding(company, plan(company), "F1", found=(5, 1))
    with pytest.raises(Refused, match="not rectified yet"):
        services.rectification_verify(finding=f, verified_on=d(6, 1),
                                      by=company.users.officer)
    with pytest.raises(Refused, match="may not record the rectification"):
        services.rectification_record(finding=f, rectified_on=d(5, 20), rectification="x",
                                      by=company.users.sales)
    with pytest.raises(Refused, match="say what was done"):
        services.rectification_record(finding=f, rectified_on=d(5, 20), rectification=" ",
                                      by=company.users.clerk)
    services.rectification_record(finding=f, rectified_on=d(5, 20), rectification="已补回执",
                                  by=company.users.clerk)
    f = services.rectification_record(finding=f, rectified_on=d(6, 1),
                                      rectification="已补回执并培训", by=company.users.clerk)
    assert f.state_on(d(6, 1)) == "rectified_late"
    events = Event.objects.filter(action="inspection_finding.rectified", key="F1")
    assert events.count() == 2 and events.first().data["before"] == ["2026-05-20", "已补回执"]
    f = services.rectification_verify(finding=f, verified_on=d(6, 1),
                                      by=company.users.officer)
    assert (f.verified_on, f.verified_by) == (d(6, 1), company.users.officer)
    with pytest.raises(Refused, match="verified already"):
        services.rectification_record(finding=f, rectified_on=d(6, 1), rectification="x",
                                      by=company.users.clerk)


def test_who_recorded_the_rectification_does_not_verify_it(company):
    f = finding(company, plan(company), "F1", owner=company.users.officer)
    services.rectification_record(finding=f, rectified_on=d(5, 20), rectification="已整改",
                                  by=company.users.officer)
    with pytest.raises(Refused, match="another verifies it"):
        services.rectification_verify(finding=f, verified_on=d(6, 1),
                                      by=company.users.officer)
    with pytest.raises(Refused, match="may not verify"):
        services.rectification_verify(finding=f, verified_on=d(6, 1),
                                      by=company.users.clerk)
    services.rectification_verify(finding=f, verified_on=d(6, 1), by=company.users.hq)


def test_the_facts_for_the_indicators(inspected):
    def facts(today, last=None):
        rows = finding_facts(d(5, 1), last or d(6, 30), today)
        return sorted(rows, key=lambda f: (f[1], f[2]))

    a001 = inspected.agents["A001"].pk
    assert facts(d(6, 1)) == [
        (None, "/HQ/GD/GZ/", d(5, 31), "overdue"),
        (a001, "/HQ/GD/GZ/GZ01/T1/", d(6, 19), "open"),  # the agent's team
        (None, "/HQ/GD/SZ/", d(5, 31), "overdue"),
    ]
    assert [f[3] for f in facts(d(5, 31))] == ["open", "open", "open"]
    assert facts(d(6, 1), last=d(6, 18)) == [f for f in facts(d(6, 1)) if f[0] is None]
    f1 = Finding.objects.get(finding_no="F1")
    services.rectification_record(finding=f1, rectified_on=d(6, 1), rectification="x",
                                  by=inspected.users.clerk)
    assert sorted(f[3] for f in facts(d(6, 1))) == ["open", "overdue", "rectified_late"]
    assert [f[3] for f in facts(d(5, 31)) if f[0] is None] == ["open", "open"]
