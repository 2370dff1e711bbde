"""`pinzhi export training` (the training file: one row per attendance of sessions held in
the span) and `pinzhi export remedial` (each remedial training with its state as of the
day, by training.rules)."""

import csv
import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pinzhi.training.exports import REMEDIAL_HEADER, TRAINING_HEADER
from pinzhi.training.models import Attendance, Course, RemedialAssignment, Session


@pytest.fixture
def trained(company):
    remedial = Course.objects.get(code="REMEDIAL")
    session = Session.objects.create(session_no="S1", course=remedial,
                                     held_on=dt.date(2026, 3, 10), unit=company.units["T1"])
    Attendance.objects.create(session=session, agent=company.agents["A001"])
    for code, due in (("A001", dt.date(2026, 4, 1)), ("A003", dt.date(2026, 4, 1))):
        RemedialAssignment.objects.create(agent=company.agents[code], half_year="2025H2",
                                          standing="warned", assigned_on=dt.date(2026, 3, 1),
                                          due_on=due)
    return company


def read(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def test_the_training_file(trained, tmp_path):
    out = tmp_path / "t.csv"
    call_command("export", "training", "--from", "2026-03-01", "--to", "2026-03-31",
                 "--out", str(out))
    header, *rows = read(out)
    assert header == TRAINING_HEADER
    hours = str(Course.objects.get(code="REMEDIAL").hours)
    assert [r[:4] + r[6:9] for r in rows] == [
        ["A001", "张伟", "T1", "S1", "true", "2026-03-10", hours]]
    call_command("export", "training", "--from", "2026-04-01", "--to", "2026-04-30",
                 "--out", str(out))
    assert read(out) == [TRAINING_HEADER]


def test_remedial_with_state_as_of_the_day(trained, tmp_path):
    out = tmp_path / "r.csv"
    call_command("export", "remedial", "--as-of", "2026-04-02", "--out", str(out))
    header, *rows = read(out)
    assert header == REMEDIAL_HEADER
    assert [(r[0], r[7], r[8]) for r in rows] == [("A001", "2026-03-10", "done"),
                                                  ("A003", "", "overdue")]


def test_a_bad_span_is_refused(trained, tmp_path):
    with pytest.raises(CommandError, match="--from is after --to"):
        call_command("export", "training", "--from", "2026-04-01", "--to", "2026-03-01",
                     "--out", str(tmp_path / "x.csv"))
