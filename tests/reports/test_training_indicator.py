"""Training done joins the indicators (issue 8): hours of sessions attended in the period,
and the remedial trainings falling due in it, done by their due day or overdue as of the
moment (training.rules.state, the one rule); the snapshot's figures equal the computed
ones."""

import datetime as dt
from decimal import Decimal

import pytest

from pinzhi.reports import indicators as ind
from pinzhi.reports import snapshot
from pinzhi.reports.reading import tallies, unit_tally
from pinzhi.settlement.rules import SHANGHAI
from pinzhi.training.models import Attendance, Course, RemedialAssignment, Session

JAN = ind.Period(dt.date(2026, 1, 1), dt.date(2026, 1, 31))
AS_OF = dt.datetime(2026, 2, 10, 9, tzinfo=SHANGHAI)


@pytest.mark.parametrize(("state", "due", "on_time", "overdue"), [
    ("done", 1, 1, 0),
    ("done_late", 1, 0, 0),
    ("overdue", 1, 0, 1),
    ("owed", 1, 0, 0),
])
def test_a_remedial_training_due_in_the_period_counts_by_its_state(state, due, on_time,
                                                                   overdue):
    t = ind.Tally()
    ind.add_remedial(t, state)
    assert (t.remedial_due, t.remedial_done_on_time, t.remedial_overdue) == (
        due, on_time, overdue)


@pytest.mark.parametrize(("state", "on_time", "overdue"), [
    ("rectified", 1, 0), ("rectified_late", 0, 0), ("overdue", 0, 1), ("open", 0, 0),
])
def test_a_finding_due_in_the_period_counts_by_its_state(state, on_time, overdue):
    t = ind.Tally()
    ind.add_finding(t, state)
    assert (t.findings_due, t.findings_rectified_on_time, t.findings_overdue) == (
        1, on_time, overdue)


def session(company, no, held_on, remedial=True):
    course = Course.objects.get(code="REMEDIAL" if remedial else "CONDUCT")
    return Session.objects.create(session_no=no, course=course, held_on=held_on,
                                  unit=company.units["T1"])


def test_training_figures_of_a_team(january, travel):
    travel("2026-02-10T09:00")
    a1, a2, a3 = (january.agents[c] for c in ("A001", "A002", "A003"))
    owed = dict(half_year="2025H2", standing="warned", assigned_on=dt.date(2025, 12, 1))
    RemedialAssignment.objects.create(agent=a1, due_on=dt.date(2026, 1, 20), **owed)
    RemedialAssignment.objects.create(agent=a2, due_on=dt.date(2026, 1, 25), **owed)
    RemedialAssignment.objects.create(agent=a3, due_on=dt.date(2026, 2, 5), **owed)  # Feb
    s1 = session(january, "S1", dt.date(2026, 1, 15))
    Attendance.objects.create(session=s1, agent=a1)  # in time
    Attendance.objects.create(session=session(january, "S2", dt.date(2026, 1, 20), False),
                              agent=a2)  # not remedial: a2's stays overdue
    teams = tallies(JAN, AS_OF)
    t1 = unit_tally(january.units["T1"].path, teams)
    assert (t1.remedial_due, t1.remedial_done_on_time, t1.remedial_overdue) == (2, 1, 1)
    assert t1.remedial_on_time_rate == Decimal("0.5000")
    hours = sum(Course.objects.filter(code__in=["REMEDIAL", "CONDUCT"])
                .values_list("hours", flat=True))
    assert t1.training_hours == hours  # a session of each course
    assert unit_tally(january.units["T2"].path, teams).remedial_due == 0  # a3's: February
    snap = snapshot.refresh(AS_OF)
    months = [dt.date(2026, 1, 1), dt.date(2026, 2, 1)]
    units = [january.units["T1"].pk, january.units["T2"].pk]
    stored = snapshot.month_figures(snap, months, units=units)
    both = ind.Period(dt.date(2026, 1, 1), dt.date(2026, 2, 28))
    computed = tallies(both, AS_OF)
    for code in ("T1", "T2"):
        unit = january.units[code]
        assert snapshot.over(stored, unit.pk, months) == unit_tally(unit.path, computed)
