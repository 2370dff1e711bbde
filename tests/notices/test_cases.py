"""A notice's case in the database (rules §7.2, §7.4): recorded by the rule, following its
facts, the same moment twice changing nothing, voided with the notice."""

import datetime as dt

import pytest
from django.core.management import call_command

from pinzhi.core.models import Event
from pinzhi.core.voiding import VoidRefused, void_fact
from pinzhi.notices.evaluation import notices_evaluate
from pinzhi.notices.models import Notice
from pinzhi.notices.services import NoticeRefused, notice_delivered, notice_reported
from pinzhi.org.models import Agent
from pinzhi.quality.models import Case
from pinzhi.quality.scores import half_year_scores

from .conftest import SH, d, issue

pytestmark = pytest.mark.django_db

KEY = "notices.case:N1"


def live(key=KEY):
    return Case.objects.filter(rule_key=key, voided_at__isnull=True).first()


def test_the_example_delivered_late_is_notice_late_on_the_day_after_due(company):
    notice = issue(company)
    notice_delivered(notice=notice, delivered_on=d(5, 14), by=company.users.clerk)
    notice_reported(notice=notice, reported_on=d(5, 14), by=company.users.clerk)
    case = live()
    assert (case.type.code, case.occurred_on, case.status) == ("notice_late", d(5, 11),
                                                               "confirmed")
    assert case.version.points_tenths == 10 and case.policy == company.policies["P1"]
    agents = Agent.objects.filter(code="A001")
    (_, score), = half_year_scores("2026H1", as_of=d(6, 30), agents=agents)
    assert score.points == 1 and score.cases == 1
    assert Case.objects.filter(rule_key__startswith="notices.case:").count() == 1


def test_no_case_before_the_day_after_due_then_one(company):
    with_clock = issue(company, due=(6, 5))
    assert live() is None
    assert notices_evaluate(as_of=d(6, 5)).recorded == 0 and live() is None
    moment = dt.datetime(2026, 6, 6, 0, 0, tzinfo=SH)
    assert notices_evaluate(as_of=moment).recorded == 1
    assert live().occurred_on == d(6, 6) and with_clock.notice_no == "N1"


def test_the_same_moment_twice_changes_nothing(company):
    issue(company, "N1")
    issue(company, "N2", due=(5, 20))
    n3 = issue(company, "N3", due=(5, 20))
    notice_delivered(notice=n3, delivered_on=d(5, 19), by=None)
    notice_reported(notice=n3, reported_on=d(5, 20), by=None)
    call_command("evaluate", "--as-of", "2026-05-31T12:00:00")
    cases, events = snapshot()
    assert len([c for c in cases if c[3] is None]) == 2
    second = notices_evaluate(as_of=dt.datetime(2026, 5, 31, 12, tzinfo=SH))
    assert (second.recorded, second.voided, second.candidates) == (0, 0, 2)
    call_command("evaluate", "--as-of", "2026-05-31T12:00:00")
    assert snapshot() == (cases, events)


def snapshot():
    """The notices' cases and every event about a case or a notice."""
    cases = set(Case.objects.filter(rule_key__startswith="notices.case:").values_list(
        "rule_key", "type__code", "occurred_on", "voided_at", "updated_at"))
    events = Event.objects.filter(kind__in=["case", "notice"]).count()
    return cases, events


def test_harm_reported_later_replaces_the_case_audited(company):
    notice = issue(company)
    notice_delivered(notice=notice, delivered_on=d(5, 14), by=company.users.clerk)
    notice_reported(notice=notice, reported_on=d(5, 15), by=company.users.clerk)
    old = live()
    notice_reported(notice=notice, reported_on=d(5, 15), by=company.users.clerk, harm=True)
    new = live()
    old.refresh_from_db()
    assert old.voided_at is not None and old.type.code == "notice_late"
    assert (new.type.code, new.occurred_on, new.version.points_tenths) == (
        "notice_harm", d(5, 11), 100)
    assert Event.objects.filter(kind="case", key=old.case_no, action="case.voided").exists()
    assert Event.objects.filter(kind="notice", key="N1", action="notice.reported").count() == 2


def test_a_correction_to_in_time_voids_the_case(company):
    notice = issue(company)
    notice_delivered(notice=notice, delivered_on=d(5, 14), by=company.users.clerk)
    assert live() is not None
    notice_delivered(notice=notice, delivered_on=d(5, 9), by=company.users.clerk)
    notice_reported(notice=notice, reported_on=d(5, 10), by=company.users.clerk)
    assert live() is None
    assert Case.objects.filter(rule_key__startswith=KEY + "#void").count() == 1


def test_an_untruthful_report_in_time_occurs_on_the_report_day(company):
    notice = issue(company, due=(6, 20))
    notice_delivered(notice=notice, delivered_on=d(5, 20), by=company.users.clerk)
    notice_reported(notice=notice, reported_on=d(5, 21), by=company.users.clerk, false=True)
    assert (live().type.code, live().occurred_on) == ("notice_late", d(5, 21))


def test_voiding_the_notice_voids_its_case(company):
    issue(company)
    case = live()
    void_fact(kind="notice", key="N1", reason="issued in error", by=company.users.clerk)
    case.refresh_from_db()
    assert case.voided_at is not None and live() is None
    assert notices_evaluate(as_of=d(6, 1)).recorded == 0  # a voided notice makes no case
    with pytest.raises(VoidRefused):
        void_fact(kind="notices", key="N1", reason="again", by=company.users.clerk)
    with pytest.raises(NoticeRefused):
        notice_delivered(notice=Notice.objects.get(), delivered_on=d(5, 9), by=None)


@pytest.mark.parametrize("change, message", [
    (lambda c, n: notice_delivered(notice=n, delivered_on=d(6, 2), by=c.users.clerk),
     "in the future"),
    (lambda c, n: notice_delivered(notice=n, delivered_on=d(4, 30), by=c.users.clerk),
     "before issued_on"),
    (lambda c, n: notice_reported(notice=n, reported_on=d(5, 5), by=c.users.clerk),
     "has not been delivered"),
    (lambda c, n: notice_delivered(notice=n, delivered_on=d(5, 5), by=c.users.officer_sz),
     "outside"),
    (lambda c, n: notice_delivered(notice=n, delivered_on=d(5, 5), by=c.users.agent),
     "may not record"),
])
def test_refusals_change_nothing(company, change, message):
    notice = issue(company)
    events = Event.objects.count()
    with pytest.raises(NoticeRefused, match=message):
        change(company, notice)
    notice.refresh_from_db()
    assert notice.delivered_on is None and Event.objects.count() == events


def test_issue_refusals(company):
    issue(company)
    with pytest.raises(NoticeRefused, match="exists already"):
        issue(company)
    with pytest.raises(NoticeRefused, match="before issued_on"):
        issue(company, "N2", due=(4, 1))
    with pytest.raises(NoticeRefused, match="outside"):
        issue(company, "N3", policy="P4", agent="A004", by=company.users.clerk)
