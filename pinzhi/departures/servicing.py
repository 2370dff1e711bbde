"""Who services a policy on a day: the agent of its latest servicing assignment on or
before that day, else its selling agent (Policy.agent, which never changes: commission
and quality stay with him). And which policies a departing agent leaves orphaned.

[reading] A departing agent's orphaned policies are those he services on the day he left
(his own sales not reassigned before, and those reassigned to him from colleagues who
left earlier), signed on or before that day and in force on it: status in force, or an
end (surrender, lapse, cancellation) dated after that day. All of them get a servicing
agent; only the long-term ones need their policyholder told (rules.py).
"""

import datetime as dt

from django.db.models import BigIntegerField, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from pinzhi.policies.models import Policy, PolicyStatus

from .models import ServicingAssignment


def latest_assignment(field: str = "agent_id", on: dt.date | None = None) -> Subquery:
    """The `field` of a policy's (OuterRef pk) latest assignment on or before `on`."""
    rows = ServicingAssignment.objects.filter(policy=OuterRef("pk"))
    if on is not None:
        rows = rows.filter(assigned_on__lte=on)
    return Subquery(rows.order_by("-assigned_on", "-id").values(field)[:1])


def with_servicing(policies: QuerySet, on: dt.date | None = None) -> QuerySet:
    """The policies with `servicing_id`: their servicing agent's id on `on` (now: None)."""
    return policies.annotate(servicing_id=Coalesce(latest_assignment(on=on), F("agent_id"),
                                                   output_field=BigIntegerField()))


def serviced_by(agent, on: dt.date | None = None) -> QuerySet:
    """The live policies `agent` services on `on` (his own and reassigned ones)."""
    reassigned = ServicingAssignment.objects.filter(agent=agent).values("policy_id")
    candidates = Policy.objects.live().filter(Q(agent=agent) | Q(pk__in=reassigned))
    return with_servicing(candidates, on).filter(servicing_id=agent.pk)


def orphaned_by(agent, left_on: dt.date) -> QuerySet:
    """The policies `agent` leaves without a servicing agent when he leaves on `left_on`."""
    in_force = Q(status=PolicyStatus.IN_FORCE) | Q(status_on__gt=left_on)
    return serviced_by(agent, left_on).filter(in_force, signed_on__lte=left_on)


def taken_over_count(agent) -> int:
    """How many policies in force of colleagues `agent` services now."""
    return (serviced_by(agent).exclude(agent=agent)
            .filter(status=PolicyStatus.IN_FORCE).count())


def servicing_agent_id(policy, on: dt.date | None = None) -> int:
    rows = ServicingAssignment.objects.filter(policy=policy)
    if on is not None:
        rows = rows.filter(assigned_on__lte=on)
    latest = rows.order_by("-assigned_on", "-id").values_list("agent_id", flat=True).first()
    return latest if latest is not None else policy.agent_id
