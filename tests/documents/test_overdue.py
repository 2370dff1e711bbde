"""Overdue documents become cases, tiered by the scoring (rules §7.3, items 16/17)."""

import datetime as dt

import pytest

from pinzhi.core.evaluating import evaluate_all
from pinzhi.core.models import Event
from pinzhi.core.voiding import void_fact
from pinzhi.documents import services
from pinzhi.documents.evaluation import documents_evaluate
from pinzhi.documents.services import DocumentRefused
from pinzhi.org.models import Agent
from pinzhi.quality.models import Case
from pinzhi.quality.scores import half_year_scores

from .conftest import at

pytestmark = pytest.mark.django_db


def score(period, code="A001"):
    agents = Agent.objects.filter(code=code)
    end = dt.date(2026, 6, 30) if period.endswith("H1") else dt.date(2026, 12, 31)
    return next(s for _, s in half_year_scores(period, as_of=end, agents=agents))


def live_cases():
    return Case.objects.filter(rule_key__startswith="documents.overdue:", voided_at__isnull=True)


@pytest.mark.parametrize(("overdue", "points", "cases"), [
    (10, "10.0", 10), (11, "12.0", 11), (25, "40.0", 25)])
def test_tiered_per_half_year(issue, overdue, points, cases):
    for i in range(overdue):
        issue(f"D{i:03}", dt.date(2026, 2, 1) + dt.timedelta(days=i % 5))
    documents_evaluate(as_of=at(6, 30, 12))
    s = score("2026H1")
    assert (str(s.points), s.cases) == (points, cases)


def test_the_11th_and_12th_cost_two_in_order_of_day_then_number(issue):
    """examples.md: A001, 12 documents due 02-01..04-19, none returned: 14 points."""
    for i in range(12):
        issue(f"YJ{12 - i:04}", dt.date(2026, 2, 1) + dt.timedelta(days=7 * (i // 2)))
    documents_evaluate(as_of=at(5, 1))
    s = score("2026H1")
    assert (str(s.points), s.cases) == ("14.0", 12)
    by_key = dict(live_cases().values_list("case_no", "rule_key"))
    twos = sorted(by_key[no] for no, tenths in s.case_points.items() if tenths == 20)
    assert twos == ["documents.overdue:YJ0001", "documents.overdue:YJ0002"]  # last day


def test_30_june_is_h1_1_july_is_h2(issue):
    for i in range(10):
        issue(f"H1-{i}", dt.date(2026, 6, 29))  # overdue 06-30: H1
    issue("EDGE", dt.date(2026, 6, 30))  # overdue 07-01: H2
    documents_evaluate(as_of=at(6, 30, 23))
    assert live_cases().count() == 10  # EDGE is not overdue yet on 06-30
    documents_evaluate(as_of=at(7, 1))
    edge = live_cases().get(rule_key="documents.overdue:EDGE")
    assert edge.occurred_on == dt.date(2026, 7, 1)
    assert str(score("2026H1").points) == "10.0"  # not the 11th of H1
    assert (str(score("2026H2").points), score("2026H2").cases) == ("1.0", 1)


def test_evaluating_the_same_moment_twice_changes_nothing(issue):
    for i in range(3):
        issue(f"D{i}", dt.date(2026, 3, 1))
    first = documents_evaluate(as_of=at(4, 1))
    events = Event.objects.count()
    again = documents_evaluate(as_of=at(4, 1))
    assert (len(first.recorded), again.recorded, again.voided) == (3, [], [])
    assert Event.objects.count() == events
    cases = set(live_cases().values_list("case_no", "rule_key", "occurred_on"))
    assert "documents: documents as of 2026-04-01: 0 overdue cases recorded, 0 voided" in \
        evaluate_all(at(4, 1))
    assert set(live_cases().values_list("case_no", "rule_key", "occurred_on")) == cases


def test_returned_late_still_counts_and_on_time_does_not(company, issue):
    late = issue("LATE", dt.date(2026, 3, 31))
    on_time = issue("ONTIME", dt.date(2026, 3, 31))
    services.document_return(document=late, returned_on=dt.date(2026, 4, 5),
                             by=company.users.clerk)
    services.document_return(document=on_time, returned_on=dt.date(2026, 3, 31),
                             by=company.users.clerk)
    documents_evaluate(as_of=at(5, 1))
    keys = set(live_cases().values_list("rule_key", flat=True))
    assert keys == {"documents.overdue:LATE"}
    assert live_cases().get().occurred_on == dt.date(2026, 4, 1)


def test_a_return_recorded_later_within_the_term_voids_the_case(company, issue):
    doc = issue("D1", dt.date(2026, 3, 31))
    documents_evaluate(as_of=at(4, 10))
    assert live_cases().count() == 1
    # the clerk finds the slip: it came back on the due date
    services.document_return(document=doc, returned_on=dt.date(2026, 3, 31),
                             by=company.users.clerk)
    assert live_cases().count() == 0
    voided = Case.objects.get(rule_key__startswith="documents.overdue:D1#void")
    assert voided.void_reason
    assert score("2026H1").points_tenths == 0


def test_a_later_due_date_replaces_the_case(issue):
    doc = issue("D1", dt.date(2026, 3, 31))
    documents_evaluate(as_of=at(4, 10))
    doc.due_on = dt.date(2026, 5, 31)  # corrected: the term was two months
    doc.save()
    result = documents_evaluate(as_of=at(4, 10))
    assert (result.voided, live_cases().count()) == (["D1"], 0)
    documents_evaluate(as_of=at(6, 2))
    assert live_cases().get().occurred_on == dt.date(2026, 6, 1)


def test_voiding_the_document_voids_its_case(company, issue):
    issue("D1", dt.date(2026, 3, 31))
    documents_evaluate(as_of=at(4, 10))
    void_fact(kind="valuable_documents", key="D1", reason="issued by mistake",
              by=company.users.clerk)
    assert live_cases().count() == 0
    assert documents_evaluate(as_of=at(4, 10)).recorded == []


def test_issue_and_return_are_logged(company):
    clerk = company.users.clerk
    doc = services.document_issue(doc_no="YJ9", agent="A001", issued_on=dt.date(2026, 1, 5),
                                  due_on=dt.date(2026, 2, 5), by=clerk, doc_type="保费收据")
    assert live_cases().get().occurred_on == dt.date(2026, 2, 6)  # issued after the fact
    services.document_return(document=doc, returned_on=dt.date(2026, 2, 10), by=clerk)
    assert list(Event.objects.filter(key="YJ9").order_by("id").values_list(
        "action", flat=True)) == ["valuable_document.issued", "valuable_document.returned"]


@pytest.mark.parametrize(("kw", "message"), [
    ({"agent": "A999"}, "unknown agent A999"),
    ({"due_on": dt.date(2026, 1, 1)}, "before it was issued"),
    ({"issued_on": dt.date(2099, 1, 1), "due_on": dt.date(2099, 2, 1)}, "in the future"),
    ({"agent": "A004"}, "outside"),  # SZ's agent, GZ's clerk
])
def test_issue_refused(company, kw, message):
    values = dict(doc_no="X1", agent="A001", issued_on=dt.date(2026, 3, 1),
                  due_on=dt.date(2026, 4, 1), by=company.users.clerk) | kw
    with pytest.raises(DocumentRefused, match=message) as refused:
        services.document_issue(**values)
    assert refused.value.localized()
    assert not Event.objects.filter(key="X1").exists()


@pytest.mark.parametrize(("returned_on", "message"), [
    (dt.date(2026, 2, 28), "before it was issued"),
    (dt.date(2099, 1, 1), "in the future"),
])
def test_return_refused(company, issue, returned_on, message):
    doc = issue("D1", dt.date(2026, 3, 31), issued_on=dt.date(2026, 3, 1))
    with pytest.raises(DocumentRefused, match=message):
        services.document_return(document=doc, returned_on=returned_on,
                                 by=company.users.clerk)


def test_return_twice_refused(company, issue):
    doc = issue("D1", dt.date(2026, 3, 31))
    services.document_return(document=doc, returned_on=dt.date(2026, 3, 20),
                             by=company.users.clerk)
    with pytest.raises(DocumentRefused, match="returned already"):
        services.document_return(document=doc, returned_on=dt.date(2026, 3, 21),
                                 by=company.users.clerk)
