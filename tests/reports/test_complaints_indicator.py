"""Complaints per 1,000 policies (issue 8) joins the indicators: complaints received in
the period over the policies printed in it, half-up to 2 places; "—" with no policies;
the snapshot's figures equal the computed ones."""

import datetime as dt
from decimal import Decimal

from pinzhi.complaints.models import Complaint
from pinzhi.reports import indicators as ind
from pinzhi.reports import snapshot
from pinzhi.reports.reading import tallies, unit_tally
from pinzhi.settlement.rules import SHANGHAI

JAN = ind.Period(dt.date(2026, 1, 1), dt.date(2026, 1, 31))
AS_OF = dt.datetime(2026, 6, 1, 9, tzinfo=SHANGHAI)


def complaint(company, no, agent, received, **kw):
    return Complaint.objects.create(complaint_no=no, agent=company.agents[agent],
                                    received_on=received, complainant="x", summary="s", **kw)


def test_complaints_per_1000_policies(january, travel):
    travel("2026-06-01T09:00")
    complaint(january, "K1", "A001", dt.date(2026, 1, 10))
    complaint(january, "K2", "A003", dt.date(2026, 2, 1))  # February's
    complaint(january, "K3", "A001", dt.date(2026, 1, 11), voided_at=AS_OF)
    teams = tallies(JAN, AS_OF)
    u = january.units
    t1, t2 = unit_tally(u["T1"].path, teams), unit_tally(u["T2"].path, teams)
    assert (t1.complaints, t1.policies, t1.complaints_per_1000_policies) == (
        1, 2, Decimal("500.00"))
    assert (t2.complaints, t2.complaints_per_1000_policies) == (0, Decimal("0.00"))
    assert unit_tally(u["SZ"].path, teams).complaints_per_1000_policies is None  # "—"
    snap = snapshot.refresh(AS_OF)
    months = [dt.date(2026, 1, 1), dt.date(2026, 2, 1)]
    stored = snapshot.month_figures(snap, months, units=[u["T1"].pk, u["T2"].pk])
    both = ind.Period(dt.date(2026, 1, 1), dt.date(2026, 2, 28))
    computed = tallies(both, AS_OF)
    assert snapshot.over(stored, u["T2"].pk, months) == unit_tally(u["T2"].path, computed)
    assert snapshot.over(stored, u["T2"].pk, months).complaints == 1
