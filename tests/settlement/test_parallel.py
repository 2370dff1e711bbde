"""A large month on PostgreSQL is computed by worker processes, each writing its slice of
policies: the draft is line for line the one a single process writes."""

import datetime as dt

import pytest
from django.db import connection

from pinzhi.callbacks import evaluation
from pinzhi.settlement import drafting
from pinzhi.settlement.models import DraftLine, Settlement
from tests.browser import LIVE_DB
from tests.factories import build_company, make_policy

FEB = dt.date(2026, 2, 1)


def lines(settlement):
    return sorted(DraftLine.objects.filter(settlement=settlement).values_list(
        "policy_id", "action", "amount_fen", "reasons", "enters"))


@LIVE_DB
def test_workers_write_the_draft_one_process_writes(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("worker processes are used on PostgreSQL only")
    company = build_company()
    for n in range(40):
        make_policy(f"W{n:03d}", company.agents["A00" + str(1 + n % 4)],
                    company.products["ACC1" if n % 3 else "TRAD10"],
                    applicant_phone=f"1397000{n:04d}", commission_fen=10_000 + n,
                    printed_on=dt.date(2026, 1, 1) + dt.timedelta(days=n))
    monkeypatch.setattr(evaluation, "PARALLEL_FROM", 0)
    counts = {}
    parallel = drafting.write_draft(month=FEB, unit=None, scope_path="", by=None,
                                    counts=counts, workers=2)
    assert parallel.status == Settlement.Status.DRAFT
    written, totals = lines(parallel), parallel.totals
    single = drafting.write_draft(month=FEB, unit=None, scope_path="", by=None,
                                  counts={}, workers=1)
    assert single.pk == parallel.pk and lines(single) == written
    assert single.totals == totals and single.lines == len(written) == 40
    assert counts["policies"] == 40  # printed before the cutoff; the factories. four after
