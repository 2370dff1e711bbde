"""Training's changes as keyword-only service functions (issue 8), each in a
transaction with its event row: a session held, an agent's attendance."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from pinzhi.accounts.models import Role
from pinzhi.core.models import Event
from pinzhi.core.refusals import Refused
from pinzhi.org.models import Agent, Unit

from .models import Attendance, Course, Session


class TrainingRefused(Refused):
    """A change of training that is not allowed (pinzhi.core.refusals)."""


def may_record(user) -> bool:
    return user is not None and user.has_role(Role.TRAINING_RECORD)


def _check(by, scope_ok: bool, what: str) -> None:
    if by is None:
        return
    if not may_record(by):
        raise TrainingRefused(gettext_noop("%(user)s may not record training"), user=by)
    if not scope_ok:
        raise TrainingRefused(gettext_noop("%(what)s is outside %(user)s's scope"),
                              what=what, user=by)


def session_record(*, session_no: str, course: Course, held_on: dt.date, unit: Unit,
                   trainer: str = "", by) -> Session:
    session_no = session_no.strip()
    if not session_no:
        raise TrainingRefused(gettext_noop("a session number is required"))
    _check(by, by is None or Unit.objects.restrict(by).filter(pk=unit.pk).exists(),
           unit.code)
    if held_on > timezone.localdate():
        raise TrainingRefused(gettext_noop("held_on %(day)s is in the future"), day=held_on)
    with transaction.atomic():
        if Session.objects.filter(session_no=session_no).exists():
            raise TrainingRefused(gettext_noop("session %(no)s exists already"),
                                  no=session_no)
        session = Session.objects.create(session_no=session_no, course=course,
                                         held_on=held_on, unit=unit, trainer=trainer)
        Event.objects.create(actor=by, action="training.session", kind="session",
                             key=session_no, data={"course": course.code,
                                                   "held_on": held_on.isoformat()})
    return session


def attendance_record(*, session: Session, agent: Agent, by) -> Attendance:
    _check(by, by is None or Agent.objects.restrict(by).filter(pk=agent.pk).exists(),
           agent.code)
    if session.voided_at is not None:
        raise TrainingRefused(gettext_noop("session %(no)s is voided"), no=session.session_no)
    with transaction.atomic():
        if Attendance.objects.filter(session=session, agent=agent).exists():
            raise TrainingRefused(gettext_noop("%(agent)s attended %(no)s already"),
                                  agent=agent.code, no=session.session_no)
        attendance = Attendance.objects.create(session=session, agent=agent, recorded_by=by)
        Event.objects.create(actor=by, action="training.attended", kind="agent",
                             key=agent.code, data={"session": session.session_no})
    return attendance
