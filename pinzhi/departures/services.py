"""Every change of a departure (issue 8), as a keyword-only service function: each checks
who and when, records the facts, writes event rows, in a transaction.

- Recording a departure ends the agent's agency (org.Agent status terminated, left_on,
  logged as the agents feed logs a change: an `agent.updated` event) and, in the same
  transaction, reassigns every policy he leaves orphaned to the servicing agent, in bulk.
  The feed `departures` does the same through `apply_departures`.
- Policyholders told are recorded per policy or for all those remaining, in bulk.
- Valuable documents are taken back through pinzhi.documents.services (their own facts);
  the departure only reads them.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from pinzhi.accounts.models import Role
from pinzhi.core.models import Event
from pinzhi.core.refusals import Refused
from pinzhi.org.models import Agent

from .models import Departure, How, PolicyholderNotice, Reason, ServicingAssignment
from .servicing import orphaned_by
from .tasks import to_notify, told_days


class DepartureRefused(Refused):
    """A change of a departure that is not allowed (pinzhi.core.refusals); `field` names
    the input at fault (the feed's column)."""

    def __init__(self, message: str, field: str = "", **params):
        super().__init__(message, **params)
        self.field = field


def may_record(user) -> bool:
    return user is not None and user.has_role(Role.DEPARTURE)


def _check_recorder(by) -> None:
    if by is not None and not may_record(by):
        raise DepartureRefused(gettext_noop("%(user)s may not record departures"), user=by)


def _in_scope(by, agent) -> bool:
    return by is None or Agent.objects.restrict(by).filter(pk=agent.pk).exists()


def _iso(day):
    return day.isoformat() if isinstance(day, dt.date) else day


def check_departure(*, agent, left_on: dt.date, reason: str, servicing_agent, by,
                    today: dt.date) -> None:
    """Why this departure may not be recorded (a DepartureRefused naming the field), the
    one check of the page, the API and the feed; that he has not left already is checked
    under lock by `agent_depart` (and by the feed against the stored departures)."""
    if agent is None or agent.is_voided:
        raise DepartureRefused(gettext_noop("unknown agent"), "agent_code")
    if not _in_scope(by, agent):
        raise DepartureRefused(gettext_noop("agent %(agent)s is outside %(user)s's scope"),
                               "agent_code", agent=agent.code, user=by)
    if reason not in Reason.values:
        raise DepartureRefused(gettext_noop("reason %(reason)s: one of %(choices)s"),
                               "reason", reason=reason, choices=", ".join(Reason.values))
    if left_on > today:
        raise DepartureRefused(gettext_noop("left_on %(day)s is in the future"), "left_on",
                               day=left_on)
    if left_on < agent.hired_on:
        raise DepartureRefused(gettext_noop("left_on %(day)s is before he was hired on "
                                            "%(hired)s"), "left_on", day=left_on,
                               hired=agent.hired_on)
    if servicing_agent is None:
        raise DepartureRefused(gettext_noop("a servicing agent is required"),
                               "servicing_agent_code")
    if servicing_agent.pk == agent.pk:
        raise DepartureRefused(gettext_noop("agent %(agent)s cannot service his own "
                                            "policies once he has left"),
                               "servicing_agent_code", agent=agent.code)
    if servicing_agent.is_voided or servicing_agent.status != Agent.Status.ACTIVE:
        raise DepartureRefused(gettext_noop("servicing agent %(agent)s is not active"),
                               "servicing_agent_code", agent=servicing_agent.code)
    if not _in_scope(by, servicing_agent):
        raise DepartureRefused(gettext_noop("servicing agent %(agent)s is outside "
                                            "%(user)s's scope"), "servicing_agent_code",
                               agent=servicing_agent.code, user=by)


def agent_depart(*, agent, left_on: dt.date, reason: str, servicing_agent, by,
                 note: str = "") -> Departure:
    """The agent left on `left_on`; his orphaned policies go to `servicing_agent`."""
    _check_recorder(by)
    check_departure(agent=agent, left_on=left_on, reason=reason,
                    servicing_agent=servicing_agent, by=by, today=timezone.localdate())
    now = timezone.now()
    with transaction.atomic():
        agent = Agent.objects.select_for_update().get(pk=agent.pk)
        earlier = Departure.objects.filter(agent=agent).first()
        if earlier is not None:
            raise DepartureRefused(gettext_noop("agent %(agent)s has left already, on "
                                                "%(day)s"), "agent_code",
                                   agent=agent.code, day=earlier.left_on)
        departure = Departure.objects.create(
            agent=agent, left_on=left_on, reason=reason, servicing_agent=servicing_agent,
            note=(note or "").strip(), recorded_by=by, created_at=now, updated_at=now)
        apply_departures([departure], by=by, now=now)
    return departure


def apply_departures(departures: list[Departure], *, by, now: dt.datetime) -> int:
    """What recording departures does besides the rows themselves (the service's and the
    feed's one path): each agent terminated on his day, his orphaned policies reassigned.
    Returns how many policies were reassigned."""
    agents, agent_events, assignments, events = [], [], [], []
    for departure in sorted(departures, key=lambda d: (d.left_on, d.pk)):
        agent = departure.agent
        changes = {}
        if agent.status != Agent.Status.TERMINATED:
            changes["status"] = [agent.status, Agent.Status.TERMINATED.value]
        if agent.left_on != departure.left_on:
            changes["left_on"] = [_iso(agent.left_on), _iso(departure.left_on)]
        if changes:
            agent.status, agent.left_on, agent.updated_at = (
                Agent.Status.TERMINATED, departure.left_on, now)
            agents.append(agent)
            # The agents feed's change log (org.history reads only `unit_code` from it).
            agent_events.append(Event(at=now, actor=by, action="agent.updated", kind="agent",
                                      key=agent.code,
                                      data={"changes": changes, "source": "departure"}))
        orphaned = list(orphaned_by(agent, departure.left_on).values_list("pk", flat=True))
        assignments += [ServicingAssignment(
            policy_id=pk, agent_id=departure.servicing_agent_id, from_agent_id=agent.pk,
            assigned_on=departure.left_on, departure=departure, by=by) for pk in orphaned]
        events.append(Event(at=now, actor=by, action="departure.recorded", kind="departure",
                            key=agent.code, data={
                                "left_on": _iso(departure.left_on), "reason": departure.reason,
                                "servicing_agent": departure.servicing_agent.code,
                                "policies_reassigned": len(orphaned)}))
    Agent.objects.bulk_update(agents, ["status", "left_on", "updated_at"], batch_size=500)
    ServicingAssignment.objects.bulk_create(assignments, batch_size=2000)
    Event.objects.bulk_create(agent_events + events)
    return len(assignments)


def _check_departure_writer(departure: Departure, by) -> None:
    _check_recorder(by)
    if by is not None and not Departure.objects.restrict(by).filter(pk=departure.pk).exists():
        raise DepartureRefused(gettext_noop("the departure of %(agent)s is outside "
                                            "%(user)s's scope"),
                               agent=departure.agent.code, user=by)
    if departure.is_voided:
        raise DepartureRefused(gettext_noop("the departure of %(agent)s is voided"),
                               agent=departure.agent.code)


def policyholders_told(*, departure: Departure, told_on: dt.date, how: str, by,
                       policies=None) -> int:
    """The policyholders of `policies` (all those not told yet when None) were told on
    `told_on`. Returns how many were recorded."""
    _check_departure_writer(departure, by)
    if how not in How.values:
        raise DepartureRefused(gettext_noop("how %(how)s: one of %(choices)s"), "how",
                               how=how, choices=", ".join(How.values))
    if told_on > timezone.localdate():
        raise DepartureRefused(gettext_noop("told_on %(day)s is in the future"), "told_on",
                               day=told_on)
    if told_on < departure.left_on:
        raise DepartureRefused(gettext_noop("told_on %(day)s is before he left on %(left)s"),
                               "told_on", day=told_on, left=departure.left_on)
    with transaction.atomic():
        Departure.objects.select_for_update().filter(pk=departure.pk).first()
        told = told_days(departure)
        eligible = {p.pk: p for p in to_notify(departure)}
        targets = _targets(departure, policies, eligible, told)
        PolicyholderNotice.objects.bulk_create(
            [PolicyholderNotice(departure=departure, policy_id=pk, told_on=told_on, how=how,
                                by=by) for pk in targets], batch_size=2000)
        Event.objects.create(actor=by, action="departure.policyholders_told",
                             kind="departure", key=departure.agent.code, data={
                                 "told_on": _iso(told_on), "how": how, "count": len(targets),
                                 "policies": [eligible[pk].policy_no for pk in targets][:500]})
    return len(targets)


def _targets(departure, policies, eligible: dict, told: dict) -> list[int]:
    if policies is None:
        targets = [pk for pk in eligible if pk not in told]
        if not targets:
            raise DepartureRefused(gettext_noop("every policyholder of %(agent)s was told "
                                                "already"), "policies",
                                   agent=departure.agent.code)
        return sorted(targets)
    if not policies:
        raise DepartureRefused(gettext_noop("no policy chosen"), "policies")
    targets = []
    for policy in policies:
        if policy.pk not in eligible:
            raise DepartureRefused(gettext_noop("policy %(policy)s is not a long-term policy "
                                                "%(agent)s left"), "policies",
                                   policy=policy.policy_no, agent=departure.agent.code)
        if policy.pk in told:
            raise DepartureRefused(gettext_noop("the policyholder of %(policy)s was told "
                                                "already, on %(day)s"), "policies",
                                   policy=policy.policy_no, day=told[policy.pk])
        targets.append(policy.pk)
    return sorted(set(targets))
