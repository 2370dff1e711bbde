"""A run over every policy on PostgreSQL is split among worker processes: the states it
writes are the ones a single process writes."""

import datetime as dt

import pytest
from django.db import connection

from pinzhi.callbacks import evaluation
from pinzhi.callbacks.evaluation import evaluate
from pinzhi.callbacks.models import CallbackStatus
from tests.browser import LIVE_DB
from tests.factories import build_company, make_policy

AS_OF = dt.datetime(2026, 3, 20, 12, tzinfo=dt.UTC)


@LIVE_DB
def test_workers_write_what_one_process_writes(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("worker processes are used on PostgreSQL only")
    company = build_company()
    for n in range(40):
        make_policy(f"W{n:03d}", company.agents["A001"], company.products["TRAD10"],
                    printed_on=dt.date(2026, 2, 1) + dt.timedelta(days=n))
    monkeypatch.setattr(evaluation, "PARALLEL_FROM", 0)
    assert len(evaluation.id_slices(None, 2)) == 2
    parallel = evaluate(as_of=AS_OF, workers=2)
    written = dict(CallbackStatus.objects.values_list("policy_id", "digest"))
    CallbackStatus.objects.all().delete()
    single = evaluate(as_of=AS_OF, workers=1)
    assert parallel.policies == single.policies == 44
    assert dict(CallbackStatus.objects.values_list("policy_id", "digest")) == written
    assert evaluate(as_of=AS_OF, workers=2).changed == 0
