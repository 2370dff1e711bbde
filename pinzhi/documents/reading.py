"""Documents by their state on a day (out / overdue / returned), for pages and the API."""

import datetime as dt

from django.db.models import Q, QuerySet

from . import rules


def in_state(queryset: QuerySet, state: str, today: dt.date) -> QuerySet:
    """The documents that were `state` on `today` (rules.state, as one SQL condition)."""
    returned = Q(returned_on__isnull=False, returned_on__lte=today)
    if state == rules.RETURNED:
        return queryset.filter(returned)
    if state == rules.OVERDUE:
        return queryset.exclude(returned).filter(due_on__lt=today)
    if state == rules.OUT:
        return queryset.exclude(returned).filter(due_on__gte=today)
    raise ValueError(f"unknown state {state!r}; one of {', '.join(rules.STATES)}")


def of_leavers(queryset: QuerySet) -> QuerySet:
    """Documents still out with agents whose agency ended (status terminated, left_on)."""
    return queryset.filter(returned_on__isnull=True, agent__status="terminated",
                           agent__left_on__isnull=False)
