"""Every change of an inspection (issue 8) as a keyword-only service function: each checks
who and when, records the fact, writes an event row, in a transaction.

- An inspection is planned, checked and its findings recorded by an inspector
  (Role.INSPECT) whose scope holds the unit inspected; [reading] a self-inspection (自查)
  may also be planned and carried out by a manager whose scope holds the unit.
- A finding's owner is an active staff user whose scope holds the plan's unit: he (or an
  inspector of the plan) records the rectification; an inspector other than the one who
  recorded it verifies it.
- A finding that shows a violation drafts a quality case on the agent it names (source:
  audit); the case's own workflow decides it.
"""

import datetime as dt
import uuid

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_noop

from pinzhi.accounts.models import Role
from pinzhi.core import parameters
from pinzhi.core.models import Event
from pinzhi.core.refusals import Refused
from pinzhi.org.models import Unit
from pinzhi.quality.models import CaseSource, ViolationType
from pinzhi.quality.services import CaseRefused, case_draft

from . import rules
from .models import ChecklistItem, Finding, InspectionPlan, PlanKind, Result

RECTIFICATION_DAYS = "inspections.rectification_days"
# The standard checklists an inspector may copy into a new plan: (what is checked, the
# violation a finding under it would show). [reading] the points of a branch's yearly
# business-quality inspection of its sub-branches.
TEMPLATES = {
    "standard": (
        ("回访：长期险新契约回访是否100%完成，回访不成功件是否跟进处理", "misleading_sales"),
        ("回执：保单回执是否在规定期限内回销", "receipt_not_returned"),
        ("有价单证：有价单证领用、核销是否及时，有无超期未回销", "documents_overdue"),
        ("函件：问题件、批单等函件是否按时送达并如实反馈", "notice_late"),
        ("销售行为：有无销售误导、承诺保险合同以外的利益、代签名", "misleading_sales"),
        ("客户信息真实性：投保资料中的客户电话、地址是否真实，有无以业务员本人或网点电话代替",
         "false_customer_info"),
    ),
}


class InspectionRefused(Refused):
    """A change of an inspection that is not allowed (pinzhi.core.refusals)."""


def _unit_in_scope(user, unit) -> bool:
    return Unit.objects.restrict(user).filter(pk=unit.pk).exists()


def may_plan(user, kind: str) -> bool:
    return user is not None and (user.has_role(Role.INSPECT) or (
        kind == PlanKind.SELF and user.role == Role.MANAGER))


def may_inspect(user, plan: InspectionPlan) -> bool:
    """Check a plan's items and record its findings: an inspector in scope (a manager in
    scope, for a self-inspection)."""
    return may_plan(user, plan.kind) and _unit_in_scope(user, plan.unit)


def may_own(user, plan: InspectionPlan) -> bool:
    """May be a finding's owner: an active staff user whose scope holds the plan's unit."""
    return (user is not None and user.is_active and user.role != Role.AGENT
            and _unit_in_scope(user, plan.unit))


def _check_inspector(by, plan: InspectionPlan) -> None:
    if by is not None and not may_inspect(by, plan):
        raise InspectionRefused(gettext_noop("%(user)s may not inspect %(no)s"),
                                user=by, no=plan.plan_no)


def _check_day(name: str, day: dt.date, not_before: dt.date | None = None) -> None:
    if day > timezone.localdate():
        raise InspectionRefused(gettext_noop("%(field)s %(day)s is in the future"),
                                field=name, day=day)
    if not_before is not None and day < not_before:
        raise InspectionRefused(gettext_noop("%(field)s %(day)s is before %(before)s"),
                                field=name, day=day, before=not_before)


def _live_plan(plan: InspectionPlan) -> InspectionPlan:
    plan = InspectionPlan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
    if plan.voided_at is not None:
        raise InspectionRefused(gettext_noop("plan %(no)s is voided"), no=plan.plan_no)
    return plan


def _violation(code: str) -> ViolationType | None:
    if not code:
        return None
    found = ViolationType.objects.filter(code=code).first()
    if found is None:
        raise InspectionRefused(gettext_noop("violation_code %(code)s is unknown"), code=code)
    return found


def _log(action: str, what: str, key: str, by, **data) -> None:
    Event.objects.create(actor=by, action=f"{what}.{action}", kind=what, key=key,
                         data={k: v.isoformat() if isinstance(v, dt.date) else v
                               for k, v in data.items()})


# -- plans and their checklists ----------------------------------------------------------

def plan_create(*, unit: Unit, kind: str, period_from: dt.date, period_to: dt.date,
                title: str, by, plan_no: str = "", template: str = "") -> InspectionPlan:
    """A plan to inspect `unit` in a period; numbered J + month + id when no number; with
    a standard checklist (TEMPLATES) copied in when `template` names one."""
    if kind not in PlanKind.values:
        raise InspectionRefused(gettext_noop("kind %(kind)s is unknown"), kind=kind)
    if by is not None and not may_plan(by, kind):
        raise InspectionRefused(gettext_noop("%(user)s may not plan an inspection"), user=by)
    if by is not None and not _unit_in_scope(by, unit):
        raise InspectionRefused(gettext_noop("unit %(unit)s is outside %(user)s's scope"),
                                unit=unit.code, user=by)
    if unit.voided_at is not None:
        raise InspectionRefused(gettext_noop("unit %(unit)s is voided"), unit=unit.code)
    if not title.strip():
        raise InspectionRefused(gettext_noop("a plan needs its title"))
    if period_to < period_from:
        raise InspectionRefused(gettext_noop("period_to %(to)s is before period_from %(from)s"),
                                to=period_to, **{"from": period_from})
    plan_no = plan_no.strip()
    with transaction.atomic():
        if plan_no and InspectionPlan.objects.filter(plan_no=plan_no).exists():
            raise InspectionRefused(gettext_noop("plan %(no)s exists already"), no=plan_no)
        plan = InspectionPlan.objects.create(
            plan_no=plan_no or f"TMP-{uuid.uuid4().hex}", kind=kind, unit=unit,
            period_from=period_from, period_to=period_to, title=title.strip(), planned_by=by)
        if not plan_no:
            plan.plan_no = f"J{period_from:%Y%m}{plan.pk:05d}"
            plan.save(update_fields=["plan_no"])
        _log("planned", "inspection_plan", plan.plan_no, by, unit=unit.code, kind=kind,
             period_from=period_from, period_to=period_to)
        if template:
            checklist_from_template(plan=plan, template=template, by=by)
    return plan


def _next_seq(plan: InspectionPlan) -> int:
    return (plan.items.aggregate(last=Max("seq"))["last"] or 0) + 1


def checklist_add(*, plan: InspectionPlan, text: str, by,
                  violation_code: str = "") -> ChecklistItem:
    """One more point on the plan's checklist, numbered after the last."""
    _check_inspector(by, plan)
    if not text.strip():
        raise InspectionRefused(gettext_noop("a checklist item needs its text"))
    violation = _violation(violation_code)
    with transaction.atomic():
        plan = _live_plan(plan)
        item = ChecklistItem.objects.create(plan=plan, seq=_next_seq(plan), text=text.strip(),
                                            violation_type=violation)
        _log("item_added", "inspection_plan", plan.plan_no, by, seq=item.seq,
             text=item.text, violation=violation_code or None)
    return item


def checklist_from_template(*, plan: InspectionPlan, template: str, by) -> list:
    """Copy a standard checklist (TEMPLATES) into the plan, after its own items."""
    _check_inspector(by, plan)
    if template not in TEMPLATES:
        raise InspectionRefused(gettext_noop("checklist template %(name)s is unknown"),
                                name=template)
    lines = TEMPLATES[template]
    types = ViolationType.objects.in_bulk({code for _text, code in lines}, field_name="code")
    with transaction.atomic():
        plan = _live_plan(plan)
        first = _next_seq(plan)
        items = ChecklistItem.objects.bulk_create(
            ChecklistItem(plan=plan, seq=first + n, text=text, violation_type=types.get(code))
            for n, (text, code) in enumerate(lines))
        _log("template_copied", "inspection_plan", plan.plan_no, by, template=template,
             items=len(items))
    return items


def item_check(*, item: ChecklistItem, result: str, checked_on: dt.date, by) -> ChecklistItem:
    """The result of one checklist item (checked again: the new result, the old in the
    event log)."""
    _check_inspector(by, item.plan)
    if result not in Result.values:
        raise InspectionRefused(gettext_noop("result %(result)s is unknown"), result=result)
    _check_day("checked_on", checked_on, item.plan.period_from)
    with transaction.atomic():
        plan = _live_plan(item.plan)
        item = ChecklistItem.objects.select_for_update().get(pk=item.pk)
        before = item.result
        item.result, item.checked_on, item.checked_by = result, checked_on, by
        item.save(update_fields=["result", "checked_on", "checked_by"])
        _log("item_checked", "inspection_plan", plan.plan_no, by, seq=item.seq,
             result=result, checked_on=checked_on, before=before or None)
    return item


# -- findings and their rectification ----------------------------------------------------

def default_due(plan: InspectionPlan, found_on: dt.date) -> dt.date:
    days = parameters.value(RECTIFICATION_DAYS, on=found_on, unit=plan.unit)
    return rules.default_due(found_on, int(days))


def _check_finding(plan, item, agent, owner, found_on, due_on, violation) -> None:
    if item is not None and item.plan_id != plan.pk:
        raise InspectionRefused(gettext_noop("item %(seq)s is not on plan %(no)s"),
                                seq=item.seq, no=plan.plan_no)
    if not may_own(owner, plan):
        raise InspectionRefused(gettext_noop("owner %(user)s: the plan's unit %(unit)s is "
                                             "outside his scope"),
                                user=owner, unit=plan.unit.code)
    if agent is not None and not agent.team.path.startswith(plan.unit.path):
        raise InspectionRefused(gettext_noop("agent %(agent)s is not of unit %(unit)s"),
                                agent=agent.code, unit=plan.unit.code)
    if violation is not None and agent is None:
        raise InspectionRefused(gettext_noop("violation_code: a violation needs the agent "
                                             "who committed it"))
    _check_day("found_on", found_on, plan.period_from)
    if due_on is not None and due_on < found_on:
        raise InspectionRefused(gettext_noop("due_on %(day)s is before found_on"), day=due_on)


def finding_record(*, plan: InspectionPlan, description: str, found_on: dt.date, owner, by,
                   item: ChecklistItem | None = None, agent=None, due_on: dt.date | None = None,
                   violation_code: str = "", finding_no: str = "") -> Finding:
    """A finding; one that shows a violation drafts a case on the agent it names."""
    _check_inspector(by, plan)
    if not description.strip():
        raise InspectionRefused(gettext_noop("a finding needs its description"))
    violation = _violation(violation_code)
    _check_finding(plan, item, agent, owner, found_on, due_on, violation)
    finding_no = finding_no.strip()
    with transaction.atomic():
        plan = _live_plan(plan)
        if finding_no and Finding.objects.filter(finding_no=finding_no).exists():
            raise InspectionRefused(gettext_noop("finding %(no)s exists already"),
                                    no=finding_no)
        finding = Finding.objects.create(
            finding_no=finding_no or f"TMP-{uuid.uuid4().hex}", plan=plan, item=item,
            agent=agent, description=description.strip(), found_on=found_on, owner=owner,
            due_on=due_on or default_due(plan, found_on), violation_type=violation,
            recorded_by=by)
        if not finding_no:
            finding.finding_no = f"F{found_on:%Y%m}{finding.pk:06d}"
        if violation is not None:
            finding.case = draft_case(finding, by)
        finding.save(update_fields=["finding_no", "case"])
        _log("recorded", "inspection_finding", finding.finding_no, by, plan=plan.plan_no,
             owner=owner.username, due_on=finding.due_on, found_on=found_on,
             case=finding.case.case_no if finding.case else None)
    return finding


def draft_case(finding: Finding, by):
    """The case of a finding that shows a violation (also for imported findings)."""
    try:
        return case_draft(
            agent=finding.agent, violation_code=finding.violation_type.code,
            occurred_on=finding.found_on, found_on=finding.found_on, source=CaseSource.AUDIT,
            by=by, evidence=f"检查 {finding.plan.plan_no} 发现 {finding.finding_no}："
                            f"{finding.description}")
    except CaseRefused as refused:
        raise InspectionRefused(gettext_noop("violation_code: %(why)s"),
                                why=str(refused)) from None


def _locked(finding: Finding) -> Finding:
    locked = (Finding.objects.select_for_update().select_related("plan__unit")
              .get(pk=finding.pk))
    if locked.voided_at is not None or locked.plan.voided_at is not None:
        raise InspectionRefused(gettext_noop("finding %(no)s is voided"),
                                no=locked.finding_no)
    return locked


def rectification_record(*, finding: Finding, rectified_on: dt.date, rectification: str,
                         by) -> Finding:
    """What was done and when, by the owner or an inspector of the plan; recorded again
    (the inspector not satisfied) until it is verified, the old one kept in the log."""
    if by is not None and by.pk != finding.owner_id and not may_inspect(by, finding.plan):
        raise InspectionRefused(gettext_noop("%(user)s may not record the rectification of "
                                             "%(no)s"), user=by, no=finding.finding_no)
    if not rectification.strip():
        raise InspectionRefused(gettext_noop("rectification: say what was done"))
    _check_day("rectified_on", rectified_on, finding.found_on)
    with transaction.atomic():
        finding = _locked(finding)
        if finding.verified_on is not None:
            raise InspectionRefused(gettext_noop("finding %(no)s is verified already"),
                                    no=finding.finding_no)
        before = (finding.rectified_on, finding.rectification)
        finding.rectified_on, finding.rectification = rectified_on, rectification.strip()
        finding.rectified_by, finding.updated_at = by, timezone.now()
        finding.save(update_fields=["rectified_on", "rectification", "rectified_by",
                                    "updated_at"])
        _log("rectified", "inspection_finding", finding.finding_no, by, on=rectified_on,
             text=finding.rectification, state=rules.state(finding.due_on, rectified_on,
                                                           rectified_on),
             before=[before[0].isoformat(), before[1]] if before[0] else None)
    return finding


def rectification_verify(*, finding: Finding, verified_on: dt.date, by) -> Finding:
    """The inspector accepts the rectification; not the one who recorded it."""
    if by is not None and not may_inspect(by, finding.plan):
        raise InspectionRefused(gettext_noop("%(user)s may not verify %(no)s"),
                                user=by, no=finding.finding_no)
    with transaction.atomic():
        finding = _locked(finding)
        if finding.rectified_on is None:
            raise InspectionRefused(gettext_noop("finding %(no)s is not rectified yet"),
                                    no=finding.finding_no)
        if finding.verified_on is not None:
            raise InspectionRefused(gettext_noop("finding %(no)s is verified already"),
                                    no=finding.finding_no)
        if by is not None and finding.rectified_by_id == by.pk:
            raise InspectionRefused(gettext_noop("%(user)s recorded the rectification of "
                                                 "%(no)s: another verifies it"),
                                    user=by, no=finding.finding_no)
        _check_day("verified_on", verified_on, finding.rectified_on)
        finding.verified_on, finding.verified_by = verified_on, by
        finding.updated_at = timezone.now()
        finding.save(update_fields=["verified_on", "verified_by", "updated_at"])
        _log("verified", "inspection_finding", finding.finding_no, by, on=verified_on)
    return finding
