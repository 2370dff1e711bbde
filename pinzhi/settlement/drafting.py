"""Writing a month's draft: the lines of the one rule (computing.month_lines), the
month's adjustments, and the totals, replacing the previous draft.

In one transaction, or, for a large month on PostgreSQL outside any transaction, split by
policy id among worker processes (the callbacks' evaluation does the same): the draft is
marked `computing` and emptied first, each worker writes its slice's lines and commits,
and the parent adds the adjustments and the totals and marks it a draft. A run that dies
half-way leaves a `computing` settlement, which cannot be closed and which the next run
replaces.
"""

import datetime as dt
import multiprocessing

from django.db import connections, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from pinzhi.callbacks.evaluation import id_slices
from pinzhi.core.models import Event
from pinzhi.org.models import Unit

from . import computing, rules
from .models import Adjustment, DraftLine, Settlement


def write_draft(*, month: dt.date, unit: Unit | None, scope_path: str, by,
                counts: dict[str, int], workers: int | None = None) -> Settlement:
    slices = id_slices(None, workers)
    if not slices:
        with transaction.atomic():
            settlement = _start(month, unit, scope_path, by, Settlement.Status.DRAFT)
            writer = computing.DraftWriter(settlement.pk, month)
            for item in computing.month_lines(month=month, scope_path=scope_path,
                                              counts=counts):
                writer.add(item)
            writer.flush()
            return _finish(settlement, counts, by)
    with transaction.atomic():
        settlement = _start(month, unit, scope_path, by, Settlement.Status.COMPUTING)
    connections.close_all()  # a forked child must not share the parent's connection
    with multiprocessing.get_context("fork").Pool(len(slices)) as pool:
        parts = pool.starmap(_part, [(settlement.pk, month, scope_path, s) for s in slices])
    for name in ("policies", "derived"):
        counts[name] = sum(p[name] for p in parts)
    with transaction.atomic():
        return _finish(settlement, counts, by)


def _start(month: dt.date, unit: Unit | None, scope_path: str, by, status: str
           ) -> Settlement:
    settlement, _ = Settlement.objects.update_or_create(
        month=month, scope_path=scope_path,
        defaults={"unit": unit, "cutoff": rules.cutoff_at(month),
                  "computed_at": timezone.now(), "computed_by": by, "status": status,
                  "totals": {}, "lines": 0, "policies": 0})
    DraftLine.objects.filter(settlement=settlement).delete()
    return settlement


def _part(settlement_id: int, month: dt.date, scope_path: str,
          id_range: tuple[int, int]) -> dict[str, int]:
    """One worker's slice of policies, written and committed."""
    counts: dict[str, int] = {}
    try:
        with transaction.atomic():
            writer = computing.DraftWriter(settlement_id, month)
            for item in computing.month_lines(month=month, scope_path=scope_path,
                                              id_range=id_range, counts=counts):
                writer.add(item)
            writer.flush()
        return counts
    finally:
        connections.close_all()


def _finish(settlement: Settlement, counts: dict[str, int], by) -> Settlement:
    """The month's adjustments as lines, the totals, and the draft ready."""
    writer = computing.DraftWriter(settlement.pk, settlement.month)
    for adjustment in month_adjustments(settlement.month, settlement.scope_path):
        writer.add(computing.PolicyLine(
            adjustment.policy_id, "", adjustment.agent_id,
            rules.Line(rules.ADJUST, adjustment.amount_fen, (adjustment.reason,),
                       f"adjustment#{adjustment.pk}")))
    writer.flush()
    totals, lines = line_totals(DraftLine.objects.filter(settlement=settlement))
    settlement.totals, settlement.lines = totals.as_dict(), lines
    settlement.policies, settlement.status = counts.get("policies", 0), Settlement.Status.DRAFT
    settlement.save()
    Event.objects.create(actor=by, action="settlement.computed", kind="settlement",
                         key=f"{settlement.label}/{settlement.scope_name}",
                         data={"lines": settlement.lines, "policies": settlement.policies,
                               "totals": settlement.totals})
    return settlement


def month_adjustments(month: dt.date, scope_path: str):
    rows = Adjustment.objects.filter(month=month, voided_at__isnull=True)
    if scope_path:
        rows = rows.filter(agent__team__path__startswith=scope_path)
    return rows.order_by("pk")


def line_totals(lines) -> tuple[rules.Totals, int]:
    """The totals and the number of a queryset of draft or ledger lines, in the database."""
    grouped = (lines.order_by().values("action", "enters")
               .annotate(amount=Sum("amount_fen"), n=Count("id")))
    rows = list(grouped)
    return (rules.totals((g["action"], int(g["amount"]), g["enters"]) for g in rows),
            sum(g["n"] for g in rows))
