"""`pinzhi demo` end to end: files written, imported through the engine, demo logins made."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pinzhi.accounts.models import Role, User
from pinzhi.callbacks import rules
from pinzhi.callbacks.models import (
    CallbackAttempt,
    CallbackRequest,
    CallbackStatus,
    ContactUpdate,
    EvaluationRun,
    ManualCallback,
)
from pinzhi.demo.callbacks import moment
from pinzhi.demo.generator import FILES
from pinzhi.demo.users import DEMO_PASSWORD, DEMO_USERS, ensure_demo_users
from pinzhi.documents.models import ValuableDocument
from pinzhi.notices.models import Notice
from pinzhi.notify.models import Message
from pinzhi.org.models import Agent, Unit
from pinzhi.policies.models import Policy, Product
from pinzhi.quality.models import Case, CaseSource
from pinzhi.receipts.models import Receipt
from pinzhi.recruitment.models import Candidate

from .replay import read_files, rule_cases

UNTIL = dt.date(2026, 6, 30)
TINY = dict(agents=40, policies=300, until=UNTIL)


def demo(tmp_path, **options):
    out = io.StringIO()
    call_command("demo", out=str(tmp_path / "files"), stdout=out, stderr=io.StringIO(),
                 **{**TINY, **options})
    return out.getvalue()


def test_files_only_loads_nothing(db, tmp_path):
    output = demo(tmp_path, files_only=True)
    assert "300 policies" in output
    assert (tmp_path / "files" / "policies.csv").exists()
    assert not Unit.objects.exists()


def test_demo_loads_the_company_and_makes_the_logins(db, tmp_path):
    output = demo(tmp_path)
    units_rows = (tmp_path / "files" / "units.csv").read_text().count("\n") - 1
    assert Unit.objects.count() == units_rows
    contracted = Candidate.objects.filter(agent__isnull=False).count()
    assert contracted and Agent.objects.count() == 40 + contracted  # the recruits signed
    assert Product.objects.count() == 25
    assert Policy.objects.count() == 300
    cases_rows = (tmp_path / "files" / "cases.csv").read_text().count("\n") - 1
    from pinzhi.inspections.models import Finding

    drafted = Case.objects.filter(pk__in=Finding.objects.values("case"))
    from_file = (Case.objects.filter(rule_key__isnull=True).exclude(source="complaint")
                 .exclude(pk__in=drafted))
    assert drafted.exists()
    assert cases_rows > 10 and from_file.count() == cases_rows  # complaints', findings' aside
    assert not Case.objects.filter(version__isnull=True).exists()  # priced on import
    confirmed = Case.objects.filter(status="confirmed")
    assert confirmed.filter(rule_key__isnull=True).count() > 0.7 * cases_rows
    assert not confirmed.filter(decided_at__isnull=True).exists()
    users = {u.username: u for u in User.objects.filter(username__startswith="demo_")}
    in_order = User.objects.filter(username__startswith="demo_").order_by("pk")
    assert [u.username for u in in_order] == [s.username for s in DEMO_USERS]
    assert {u.role for u in users.values()} == set(Role.values)
    assert all(u.check_password(DEMO_PASSWORD) for u in users.values())
    admin, manager, agent = users["demo_admin"], users["demo_manager"], users["demo_agent"]
    assert admin.is_superuser and admin.is_staff
    assert not users["demo_hq"].is_superuser
    # a team's manager (the demo's rank decisions may have promoted him)
    assert manager.agent.rank in ("业务经理", "高级业务经理")
    assert manager.unit == manager.agent.team
    assert agent.agent.status == "active" and agent.agent != manager.agent
    assert users["demo_clerk"].unit.level == "subbranch"
    assert users["demo_officer"].unit.level == "branch"
    for name in ("demo_admin", "demo_manager", "http://127.0.0.1:8000/", DEMO_PASSWORD):
        assert name in output


def test_again_changes_nothing_and_if_empty_only_prints(db, tmp_path):
    demo(tmp_path)
    ids = list(User.objects.filter(username__startswith="demo_").order_by("pk")
               .values_list("pk", flat=True))
    output = demo(tmp_path)
    assert "created 0" in output and Policy.objects.count() == 300
    output = demo(tmp_path, if_empty=True, seed=99)
    assert "nothing loaded" in output and "demo_agent" in output
    contracted = Candidate.objects.filter(agent__isnull=False).count()
    assert contracted and Agent.objects.count() == 40 + contracted  # the recruits signed
    ensure_demo_users()
    assert ids == list(User.objects.filter(username__startswith="demo_").order_by("pk")
                       .values_list("pk", flat=True))


@pytest.fixture
def company(db, tmp_path):
    """A company big enough for every kind of callback and paper fact (3,000 policies);
    the demo's output."""
    return demo(tmp_path, agents=60, policies=3000)


def test_every_file_is_loaded_whole(company, tmp_path):
    files = tmp_path / "files"
    for kind, model in (("callback_attempts", CallbackAttempt),
                        ("contact_updates", ContactUpdate),
                        ("callback_requests", CallbackRequest),
                        ("receipts", Receipt), ("valuable_documents", ValuableDocument),
                        ("notices", Notice), ("policies", Policy), ("agents", Agent)):
        rows = (files / f"{kind}.csv").read_text().count("\n") - 1
        loaded = model.objects.all()
        if model is Agent:  # and the recruits who signed their contract since
            loaded = loaded.exclude(pk__in=Candidate.objects.filter(agent__isnull=False)
                                    .values("agent"))
        assert rows > 0 and loaded.count() == rows, kind  # no bad row: all loaded
    for kind in FILES:  # the command refuses a file with a bad row: every one was applied
        assert f"{kind}: " in company and f"Importing {kind}" in company


def test_the_paper_rules_cases_are_those_of_the_demos_moment(company, tmp_path):
    """The imports and the evaluation as of the moment record exactly the cases the
    rules give for the files' facts on UNTIL (and later ones: the imports run today)."""
    rows = read_files(tmp_path / "files")
    expected = {(agent, code, occurred, key) for agent, code, occurred, key in rule_cases(rows)}
    codes = ("receipt_not_returned", "documents_overdue", "notice_late", "notice_harm")
    recorded = Case.objects.filter(voided_at__isnull=True, type__code__in=codes)
    assert not recorded.filter(rule_key__isnull=True).exists()  # none made by hand
    got = {(agent, code, occurred, key.split(":", 1)[1]) for agent, code, occurred, key in
           recorded.filter(occurred_on__lte=UNTIL).values_list(
               "agent__code", "type__code", "occurred_on", "rule_key")}
    assert got == expected
    kinds = {code for _, code, _, _ in expected}
    assert {"receipt_not_returned", "documents_overdue", "notice_late"} <= kinds
    assert recorded.filter(status="confirmed", source=CaseSource.RULE).count() == \
        recorded.count()
    for line in ("Receipts: ", "Valuable documents: ", "Notices: ", "receipt_not_returned "
                 "cases", "documents_overdue cases", "notice_late cases"):
        assert line in company


def test_the_callbacks_are_loaded_and_moved_to_the_demos_moment(company):
    output = company
    as_of = moment(UNTIL)
    attempts = CallbackAttempt.objects.all()
    outcomes = set(attempts.values_list("outcome", flat=True))
    for codes in (rules.TEMPORARY, rules.NUMBER_PROBLEM, rules.REFUSAL, rules.SPECIAL):
        assert outcomes & codes
    assert attempts.filter(outcome="success").exists()
    flagged = attempts.exclude(flag="")
    assert 0 < flagged.count() < 0.03 * attempts.count()
    assert set(flagged.values_list("flag", flat=True)) <= {"outside_hours", "too_soon"}
    assert attempts.filter(round="manual").exists() and ManualCallback.objects.exists()
    assert ContactUpdate.objects.exclude(agent=None).exists()
    assert Case.objects.filter(source=CaseSource.CALLBACK, status="draft").exists()
    assert Message.objects.filter(kind="callback_round_1_failed").exists()
    states = CallbackStatus.objects.all()
    assert states.count() == Policy.objects.count()
    assert {rules.SUCCEEDED, rules.ROUND_1, rules.MANUAL} <= set(
        states.values_list("status", flat=True))
    assert states.filter(status__in=[rules.ROUND_1, rules.ROUND_2],
                         next_call_at__lte=as_of).exists()  # the queue has work
    run = EvaluationRun.objects.filter(scope="all").order_by("-pk").first()
    assert run.as_of == as_of
    assert "succeeded" in output and "attempts (" in output and "flagged" in output


def test_a_future_until_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="future"):
        demo(tmp_path, until=dt.date.today() + dt.timedelta(days=2))


def test_complaints_at_every_stage_and_a_remedial_session(company):
    from pinzhi.complaints.clock import with_clocks
    from pinzhi.complaints.models import Complaint
    from pinzhi.training.models import Attendance, RemedialAssignment

    assert "complaints: 12 received, at every stage" in company
    states = {c.clock.state for c in with_clocks(Complaint.objects.all(), UNTIL)}
    assert states == {"open", "decided", "reviewed"}
    assert Complaint.objects.filter(extensions__isnull=False).distinct().count() == 4
    assert Case.objects.filter(source="complaint", status="draft").count() == 2
    owed = RemedialAssignment.objects.count()
    assert owed > 0 and Attendance.objects.count() == (owed + 1) // 2
