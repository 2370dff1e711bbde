"""Recording a commendation (嘉奖, issue 8), as a keyword-only service function: who may,
for whom, what; the fact and its event row in one transaction. Voiding one goes through
`pinzhi void commendation NO` / the page's void form (pinzhi.core.voiding)."""

import datetime as dt
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from pinzhi.accounts.models import Role
from pinzhi.core.models import Event
from pinzhi.core.refusals import Refused
from pinzhi.org.models import Agent, Unit

from .models import Commendation, Kind


class CommendationRefused(Refused):
    """A commendation that may not be recorded (pinzhi.core.refusals)."""


def may_record(user) -> bool:
    return user is not None and user.has_role(Role.COMMEND)


def _check(agent: Agent, awarded_on: dt.date, kind: str, title: str, reason: str,
           unit: Unit, by) -> None:
    if by is not None:
        if not may_record(by):
            raise CommendationRefused(gettext_noop("%(user)s may not record commendations"),
                                      user=by)
        if not Agent.objects.restrict(by).filter(pk=agent.pk).exists():
            raise CommendationRefused(gettext_noop("agent %(agent)s is outside %(user)s's "
                                                   "scope"), agent=agent.code, user=by)
    if agent.voided_at is not None:
        raise CommendationRefused(gettext_noop("agent %(agent)s is voided"), agent=agent.code)
    if kind not in Kind.values:
        raise CommendationRefused(gettext_noop("kind: %(value)s is not one of the choices"),
                                  value=kind)
    if not title.strip() or not reason.strip():
        raise CommendationRefused(gettext_noop("title and reason: a commendation needs both"))
    if awarded_on > timezone.localdate():
        raise CommendationRefused(gettext_noop("awarded_on %(day)s is in the future"),
                                  day=awarded_on)
    if unit is None or unit.voided_at is not None:
        raise CommendationRefused(gettext_noop("unit: the awarding unit is missing or voided"))
    if not agent.team.path.startswith(unit.path):
        raise CommendationRefused(gettext_noop("unit: %(unit)s is not above agent %(agent)s"),
                                  unit=unit.code, agent=agent.code)


def commendation_record(*, agent: Agent, awarded_on: dt.date, kind: str, title: str,
                        reason: str, unit: Unit, by, commendation_no: str = ""
                        ) -> Commendation:
    """A commendation awarded by `unit` (his team or a unit above it); numbered J + month
    + id when no number is given."""
    _check(agent, awarded_on, kind, title, reason, unit, by)
    number = commendation_no.strip()
    with transaction.atomic():
        if number and Commendation.objects.filter(commendation_no=number).exists():
            raise CommendationRefused(gettext_noop("commendation %(no)s exists already"),
                                      no=number)
        commendation = Commendation.objects.create(
            commendation_no=number or f"TMP-{uuid.uuid4().hex}", agent=agent,
            awarded_on=awarded_on, kind=kind, title=title.strip(), reason=reason.strip(),
            awarded_by_unit=unit, recorded_by=by)
        if not number:
            commendation.commendation_no = f"J{awarded_on:%Y%m}{commendation.pk:06d}"
            commendation.save(update_fields=["commendation_no"])
        Event.objects.create(actor=by, action="commendation.recorded", kind="commendation",
                             key=commendation.commendation_no,
                             data={"agent": agent.code, "awarded_on": awarded_on.isoformat(),
                                   "kind": kind, "title": commendation.title,
                                   "unit": unit.code})
    return commendation
