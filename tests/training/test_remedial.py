"""Remedial training assigned once by the schedule to an agent whose half-year standing
calls for it (rules §7.6: `warned` and worse), and done when he attends a remedial
session after it was assigned (issue 8)."""

import datetime as dt

import pytest
from django.core.management import call_command

from pinzhi.core.importing import run_import
from pinzhi.training.assigning import remedial_assign
from pinzhi.training.models import RemedialAssignment
from pinzhi.training.reading import remedial_rows
from tests.quality_letters.test_warning_letter import worked_example

pytestmark = pytest.mark.django_db


def load(tmp_path, kind, text):
    path = tmp_path / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    result = run_import(kind, path)
    assert result.ok, [str(e) for e in result.errors]


def test_assigned_once_and_done_by_attending(company, tmp_path, travel):
    travel("2026-06-10T09:00")
    worked_example(company)  # A001: 2026H1 `failed` (rules' worked example)
    travel("2026-06-20T09:00")
    now = dt.datetime.fromisoformat("2026-06-20T09:00+08:00")
    assert remedial_assign(now) == "1 remedial trainings assigned on 2026-06-20"
    assert remedial_assign(now) == "remedial trainings assigned already on 2026-06-20"
    assert remedial_assign(now, full=True) == "0 remedial trainings assigned on 2026-06-20"
    [owed] = RemedialAssignment.objects.all()
    assert (owed.agent.code, owed.half_year, owed.standing, owed.due_on) == (
        "A001", "2026H1", "failed", dt.date(2026, 8, 19))
    load(tmp_path, "training_sessions", "session_no,course_code,held_on,unit_code\n"
         "S1,REMEDIAL,2026-06-01,GZ\nS2,CONDUCT,2026-06-20,GZ\nS3,REMEDIAL,2026-06-20,GZ\n")
    load(tmp_path, "training_attendance", "session_no,agent_code\nS1,A001\nS2,A001\n")
    [row] = remedial_rows(RemedialAssignment.objects.all(), dt.date(2026, 6, 20))
    assert (row.done_on, row.state) == (None, "owed")  # S1 before, S2 not remedial
    load(tmp_path, "training_attendance", "session_no,agent_code\nS3,A001\n")
    [row] = remedial_rows(RemedialAssignment.objects.all(), dt.date(2026, 6, 20))
    assert (row.done_on, row.state) == (dt.date(2026, 6, 20), "done")


def test_the_scheduled_evaluate_assigns_it(company, travel):
    travel("2026-06-10T09:00")
    worked_example(company)
    call_command("evaluate", "--no-figures", stdout=None)
    assert RemedialAssignment.objects.filter(agent__code="A001").count() == 1
