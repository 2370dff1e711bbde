"""The demo company's inspections (issue 8), so that their pages have something to show:
an inspection of the demo clerk's sub-branch by the demo officer with the standard
checklist, and a self-inspection of the demo manager's team; their findings are one
overdue, one drafting a case, one rectified and verified, one still open.

Only the service functions write, so the demo's findings are checked like anyone's; a
database that has inspection plans already is left as it is.
"""

import datetime as dt
import random

from pinzhi.accounts.models import User
from pinzhi.inspections import services
from pinzhi.inspections.models import InspectionPlan, Result
from pinzhi.org.models import Agent


def _days(today: dt.date, n: int) -> dt.date:
    return today - dt.timedelta(days=n)


def seed(today: dt.date) -> str:
    if InspectionPlan.objects.exists():
        return "inspections: the database has plans already: none added"
    users = User.objects.select_related("unit", "agent__team").in_bulk(
        ["demo_officer", "demo_clerk", "demo_manager"], field_name="username")
    officer, clerk, manager = (users.get(n) for n in ("demo_officer", "demo_clerk",
                                                      "demo_manager"))
    if officer is None or clerk is None or manager is None or clerk.unit is None:
        return "inspections: no demo users: none added"
    rng = random.Random("demo-inspections-1")
    inspection = _inspection(today, officer, clerk, rng)
    self_inspection = _self_inspection(today, officer, manager)
    return (f"inspections: plans {inspection.plan_no} and {self_inspection.plan_no}, "
            f"4 findings (overdue, with a case, rectified, open)")


def _inspection(today: dt.date, officer, clerk, rng: random.Random) -> InspectionPlan:
    plan = services.plan_create(
        unit=clerk.unit, kind="inspection", period_from=_days(today, 60),
        period_to=today + dt.timedelta(days=30), title=f"{clerk.unit.name}业务品质检查",
        template="standard", by=officer)
    items = list(plan.items.order_by("seq"))
    for item in items[:4]:
        services.item_check(item=item, checked_on=_days(today, 50), by=officer,
                            result=Result.FAILED if item.seq == 2 else Result.PASSED)
    services.item_check(item=items[-1], result=Result.FAILED, checked_on=_days(today, 45),
                        by=officer)
    services.finding_record(
        plan=plan, item=items[1], found_on=_days(today, 50), owner=clerk, by=officer,
        description="抽查20件长期险保单，3件回执超过规定期限仍未回销，内勤未按月催收")
    agents = list(Agent.objects.restrict(clerk).live().filter(status=Agent.Status.ACTIVE)
                  .order_by("code")[:50])
    services.finding_record(
        plan=plan, item=items[-1], found_on=_days(today, 10), owner=clerk, by=officer,
        agent=rng.choice(agents), violation_code="false_customer_info",
        description="2件投保资料中的投保人电话为业务员本人手机号码")
    return plan


def _self_inspection(today: dt.date, officer, manager) -> InspectionPlan:
    plan = services.plan_create(
        unit=manager.unit, kind="self_inspection", period_from=_days(today, 30),
        period_to=today, title=f"{manager.unit.name}季度自查", by=manager)
    item = services.checklist_add(plan=plan, text="有价单证：团队成员领用的单证是否按期核销",
                                  violation_code="documents_overdue", by=manager)
    services.item_check(item=item, result=Result.FAILED, checked_on=_days(today, 20),
                        by=manager)
    done = services.finding_record(
        plan=plan, item=item, found_on=_days(today, 20), owner=manager, by=manager,
        description="团队有2份投保单超过30天未核销")
    services.rectification_record(finding=done, rectified_on=_days(today, 12), by=manager,
                                  rectification="已督促业务员交回并完成核销，团队晨会通报")
    services.rectification_verify(finding=done, verified_on=_days(today, 10), by=officer)
    services.finding_record(
        plan=plan, found_on=_days(today, 5), owner=manager, by=manager,
        description="团队晨会未宣导最新销售行为禁令")
    return plan
