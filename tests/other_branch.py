"""A second branch under head office, with one object of every kind served by key.

On top of tests.factories.build_company's company:

HQ
└── JS 江苏分公司 (branch) > JSNJ 南京支公司 (subbranch) > JSNJ01 (office) > JST1 (team)
Agents: B001 (serves B002's policies), B002 (departed). Policies JSP1 (B001), JSP2 (B002).

`build_objects` makes the same set of objects for any two agents, so the tests build it
twice: in JS (what GD's users must never reach) and in GD for A001/A003 (the "twin" of
each JS object, which tells whether a refusal is "no such row" or "not your area").
Everything is written with `objects.create` (no services): the objects only need to
exist and be valid rows, and a service's own checks are not what is tested here.
"""

import datetime as dt
from types import SimpleNamespace

from pinzhi.accounts.models import Role, User
from pinzhi.assessments.models import RankDecision
from pinzhi.callbacks.models import CallbackStatus
from pinzhi.commendations.models import Commendation
from pinzhi.complaints.models import Complaint
from pinzhi.departures.models import Departure
from pinzhi.documents.models import ValuableDocument
from pinzhi.grievances.models import Grievance
from pinzhi.inspections.models import Finding, InspectionPlan
from pinzhi.notices.models import Notice
from pinzhi.org.models import Agent, Unit
from pinzhi.org.services import rebuild_unit_paths
from pinzhi.quality.models import Case, ViolationType, ViolationVersion
from pinzhi.receipts.models import Receipt
from pinzhi.recruitment.models import Candidate
from pinzhi.settlement.models import Adjustment, Settlement
from pinzhi.training.models import Attendance, Course, RemedialAssignment, Session
from tests.factories import PASSWORD, make_policy

JS_UNITS = [
    ("JS", "江苏分公司", "branch", "HQ"),
    ("JSNJ", "南京支公司", "subbranch", "JS"),
    ("JSNJ01", "新街口营业部", "office", "JSNJ"),
    ("JST1", "新街口一组", "team", "JSNJ01"),
]
JS_AGENTS = [
    ("B001", "赵敏", "320102198805050011", "13900000101", "业务员"),
    ("B002", "钱磊", "320102199001010022", "13900000102", "业务员"),
]
ON = dt.date(2026, 4, 10)
MONTH = dt.date(2026, 3, 1)  # the settlement made for JS's subtree
ADJUST_MONTH = dt.date(2026, 4, 1)


def build_other_branch(company) -> SimpleNamespace:
    """The JS branch and its objects, plus GD twins; returns both sets of objects."""
    units = {}
    for code, name, level, parent in JS_UNITS:
        parent_unit = units.get(parent) or company.units[parent]
        units[code] = Unit.objects.create(code=code, name=name, level=level,
                                          parent=parent_unit)
    rebuild_unit_paths()
    for unit in units.values():
        unit.refresh_from_db()
    agents = {
        code: Agent.objects.create(code=code, name=name, id_number=idn, phone=phone,
                                   rank=rank, team=units["JST1"],
                                   hired_on=dt.date(2024, 3, 1))
        for code, name, idn, phone, rank in JS_AGENTS
    }
    products = company.products
    policies = {
        "JSP1": make_policy("JSP1", agents["B001"], products["TRAD10"],
                            applicant_name="周雨", insured_name="周雨"),
        "JSP2": make_policy("JSP2", agents["B002"], products["ACC1"],
                            applicant_name="吴霜", insured_name="吴霜"),
    }
    officer_js = User(username="officer_js", role=Role.QUALITY_OFFICER, unit=units["JS"])
    officer_js.set_password(PASSWORD)
    officer_js.save()
    js = build_objects(
        "JS", branch=units["JS"], team=units["JST1"], first=agents["B001"],
        second=agents["B002"], policy=policies["JSP1"], owner=officer_js,
        by=company.users.admin,
    )
    gd = build_objects(
        "GD", branch=company.units["GD"], team=company.units["T1"],
        first=company.agents["A001"], second=company.agents["A003"],
        policy=company.policies["P1"], owner=company.users.officer, by=company.users.admin,
    )
    return SimpleNamespace(units=units, agents=agents, policies=policies,
                           officer=officer_js, js=js, gd=gd)


def build_objects(prefix, *, branch, team, first, second, policy, owner, by):
    """One object of each kind in `branch` (`first` in `team` owns them; `second` has
    departed, `first` serves his policies). Keys start with `prefix`."""
    catalogue = ViolationType.objects.exclude(owner__isnull=False).order_by("code").first()
    local_type = ViolationType.objects.create(code=f"{prefix}_LOCAL_RULE", owner=branch)
    ViolationVersion.objects.create(
        type=local_type, unit=branch, valid_from=dt.date(2026, 1, 1),
        name_zh=f"{prefix}本地违规", name_en=f"{prefix} local rule", points_tenths=10)
    version = catalogue.versions.filter(unit__isnull=True).order_by("-valid_from").first()
    case = Case.objects.create(
        case_no=f"{prefix}-CASE-1", agent=first, type=catalogue, version=version, occurred_on=ON,
        found_on=ON, policy=policy, evidence="access test")
    course, _ = Course.objects.get_or_create(code="ACCESS-COURSE", defaults={"name": "合规"})
    session = Session.objects.create(session_no=f"{prefix}-TRAIN-1", course=course,
                                     held_on=ON, unit=team)
    Attendance.objects.create(session=session, agent=first)
    remedial = RemedialAssignment.objects.create(
        agent=first, half_year="2026H1", standing="warned", assigned_on=ON,
        due_on=dt.date(2026, 9, 30))
    plan = InspectionPlan.objects.create(
        plan_no=f"{prefix}-PLAN-1", unit=branch, period_from=dt.date(2026, 4, 1),
        period_to=dt.date(2026, 4, 30), title=f"{prefix} 现场检查")
    settlement = Settlement.objects.create(month=MONTH, unit=branch, scope_path=branch.path,
                                           cutoff=dt.datetime(2026, 4, 5, tzinfo=dt.UTC))
    return SimpleNamespace(
        unit=branch, team=team, agent=first, departed=second, policy=policy, case=case,
        violation_type=local_type, session=session, remedial=remedial, plan=plan,
        settlement=settlement,
        receipt=Receipt.objects.create(policy=policy, collected_on=ON),
        callback=CallbackStatus.objects.create(policy=policy, status="round_1"),
        document=ValuableDocument.objects.create(
            doc_no=f"{prefix}-DOC-1", agent=first, issued_on=ON, due_on=dt.date(2026, 7, 10)),
        notice=Notice.objects.create(
            notice_no=f"{prefix}-NOTICE-1", policy=policy, agent=first, issued_on=ON,
            due_on=dt.date(2026, 4, 20)),
        complaint=Complaint.objects.create(
            complaint_no=f"{prefix}-COMPLAINT-1", received_on=ON, channel="phone",
            policy=policy, agent=first, complainant=policy.applicant_name,
            summary="access test"),
        candidate=Candidate.objects.create(
            candidate_no=f"{prefix}-CAND-1", name=f"{prefix}候选人", id_number="320102199505050033",
            phone="13900000199", team=team, rank="业务员", applied_on=ON),
        departure=Departure.objects.create(agent=second, left_on=ON, reason="resigned",
                                           servicing_agent=first),
        rank_decision=RankDecision.objects.create(
            agent=first, period="2026H1", from_rank="业务员", to_rank="业务员",
            outcome="maintain", recommended="maintain", decided_on=ON),
        finding=Finding.objects.create(
            finding_no=f"{prefix}-FIND-1", plan=plan, agent=first, description="access test",
            found_on=ON, owner=owner, due_on=dt.date(2026, 5, 10)),
        grievance=Grievance.objects.create(
            grievance_no=f"{prefix}-GRIEV-1", agent=first, received_on=ON, about="company",
            summary="access test", channel="app"),
        commendation=Commendation.objects.create(
            commendation_no=f"{prefix}-COMMEND-1", agent=first, awarded_on=ON,
            kind="service", title=f"{prefix} 服务之星", reason="access test",
            awarded_by_unit=branch),
        adjustment=Adjustment.objects.create(
            month=ADJUST_MONTH, agent=first, policy=policy, amount_fen=12_345,
            reason=f"{prefix} access test", by=by),
    )


def markers(branch: SimpleNamespace) -> list[str]:
    """Strings only the JS branch's rows hold: none may appear in a GD user's answer."""
    js = branch.js
    # Not the bare "JS": too short to be told from other text in a page (its name is).
    return [
        *(c for c in branch.units if c != "JS"), *(u.name for u in branch.units.values()),
        *branch.agents, *(a.name for a in branch.agents.values()),
        *branch.policies, "周雨", "吴霜",
        js.case.case_no, js.violation_type.code, js.session.session_no, js.plan.plan_no,
        js.document.doc_no, js.notice.notice_no, js.complaint.complaint_no,
        js.candidate.candidate_no, js.candidate.name, js.finding.finding_no,
        js.grievance.grievance_no, js.commendation.commendation_no, js.commendation.title,
        js.adjustment.reason, js.plan.title,
    ]
