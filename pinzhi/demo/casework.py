"""The demo company's complaints and training (issue 8), so that their pages have
something to show: a dozen customer complaints on the demo officer's branch at every
stage of their clock (open, overdue, extended, decided, one with a case, one reviewed),
and a remedial session attended by half of the agents owing remedial training.

Only the service functions write, so the demo's complaints are checked like anyone's;
a database that has complaints already is left as it is.
"""

import datetime as dt
import random

from pinzhi.accounts.models import User
from pinzhi.complaints import services as complaints
from pinzhi.complaints.models import Complaint
from pinzhi.policies.models import Policy
from pinzhi.training import services as training
from pinzhi.training.models import Course, RemedialAssignment, Session

COMPLAINTS = 12
DECIDED = {True: "经调查投诉属实，已为客户办理退保", False: "经调查投诉不属实，已向客户解释"}
SAYS = ("业务员承诺保证收益，与合同不符", "未告知犹豫期及退保损失", "保单回执非本人签名",
        "业务员长期联系不上，无人提供保全服务", "回访电话中称被诱导购买", "代收保费未及时交付公司")


def seed(today: dt.date) -> str:
    if Complaint.objects.exists():
        return "complaints: the database has some already: none added"
    users = User.objects.in_bulk(["demo_operator", "demo_officer", "demo_hq", "demo_admin",
                                  "demo_clerk"], field_name="username")
    operator, officer = users.get("demo_operator"), users.get("demo_officer")
    if operator is None or officer is None:
        return "complaints: no demo users: none added"
    rng = random.Random("demo-complaints-1")
    policies = list(Policy.objects.restrict(officer).live().select_related("agent__team")
                    .filter(printed_on__lte=today - dt.timedelta(days=90))
                    .order_by("id")[:2000])
    for n, policy in enumerate(rng.sample(policies, min(COMPLAINTS, len(policies)))):
        received = today - dt.timedelta(days=3 + 6 * n)
        complaint = complaints.complaint_receive(
            received_on=received, agent=policy.agent, policy=policy, by=operator,
            complainant=f"客户{policy.policy_no[-4:]}", summary=SAYS[n % len(SAYS)])
        _handle(complaint, n, received, today, officer, users)
    return f"complaints: {min(COMPLAINTS, len(policies))} received, at every stage"


def _handle(complaint, n: int, received: dt.date, today: dt.date, officer, users) -> None:
    """Stage n % 6: open; extended; decided; decided with a case; reviewed; open."""
    stage = n % 6
    if stage in (1, 4):
        extended = min(received + dt.timedelta(days=10), today)
        complaints.complaint_extend(complaint=complaint, on=extended, by=officer,
                                    reason="需调取销售录音并约见客户",
                                    customer_told_on=extended)
    if stage in (2, 3, 4):
        decided = min(received + dt.timedelta(days=12), today)
        complaints.complaint_decide(
            complaint=complaint, on=decided, by=officer, upheld=stage != 2,
            decision=DECIDED[stage != 2],
            violation_code="misleading_sales" if stage == 3 else "")
        if stage == 4 and users.get("demo_admin"):
            complaints.complaint_review_request(complaint=complaint, on=decided, by=officer)
            complaints.complaint_review_decide(complaint=complaint, on=decided,
                                               outcome="维持原处理决定", by=users["demo_admin"])


def seed_training() -> str:
    """Remedial training assigned as the schedule's next run would (the demo's cases are
    decided as they load, after the demo's moment), and a remedial session today attended
    by half of the agents owing one."""
    from django.utils import timezone

    from pinzhi.training.assigning import remedial_assign

    if Session.objects.exists():
        return "training: the database has sessions already: none added"
    remedial_assign(timezone.now(), full=True)
    today = timezone.localdate()
    officer = User.objects.filter(username="demo_officer").select_related("unit").first()
    course = Course.objects.filter(remedial=True).first()
    if officer is None or course is None or officer.unit is None:
        return "training: no demo officer or remedial course: none added"
    held = today
    session = training.session_record(session_no=f"PX{held:%Y%m%d}01", course=course,
                                      held_on=held, unit=officer.unit, trainer="品质管理部",
                                      by=officer)
    owed = list(RemedialAssignment.objects.restrict(officer).filter(assigned_on__lte=held)
                .select_related("agent").order_by("agent__code"))
    for assignment in owed[::2]:
        training.attendance_record(session=session, agent=assignment.agent, by=officer)
    return f"training: {len(owed[::2])} of {len(owed)} owing remedial training attended " \
           f"{session.session_no}"
