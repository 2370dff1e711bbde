"""`pinzhi demo` settles its recent months (demo/settlement.py): three closed by a second
sales administrator, the current one a draft once its cutoff has passed."""

import datetime as dt
import io

from django.core.management import call_command

from pinzhi.demo.callbacks import moment
from pinzhi.demo.settlement import months, settle
from pinzhi.settlement.models import DraftLine, LedgerLine, Settlement

UNTIL = dt.date(2026, 6, 30)  # after June's cutoff (the 20th): June is left a draft
TINY = dict(agents=40, policies=300, until=UNTIL)
CLOSED = [dt.date(2026, 3, 1), dt.date(2026, 4, 1), dt.date(2026, 5, 1)]
DRAFT = dt.date(2026, 6, 1)


def demo(tmp_path, **options) -> str:
    out = io.StringIO()
    call_command("demo", out=str(tmp_path / "files"), stdout=out, stderr=io.StringIO(),
                 **{**TINY, **options})
    return out.getvalue()


def test_the_months_follow_the_demos_moment():
    assert months(moment(UNTIL)) == (CLOSED, DRAFT)
    # Before the 20th the current month is left to the agents' forecast; on it, a draft.
    assert months(moment(dt.date(2026, 6, 19))) == (CLOSED, None)
    assert months(moment(dt.date(2026, 6, 20))) == (CLOSED, DRAFT)
    assert months(moment(dt.date(2026, 1, 5)))[0][0] == dt.date(2025, 10, 1)


def test_the_demo_closes_three_months_by_four_eyes_and_leaves_a_draft(db, tmp_path):
    output = demo(tmp_path)
    settlements = list(Settlement.objects.order_by("month").select_related(
        "computed_by", "closed_by", "unit"))
    assert [s.month for s in settlements] == [*CLOSED, DRAFT]
    assert {s.unit.level for s in settlements} == {"branch"}
    for s in settlements[:3]:
        assert s.is_closed and s.lines > 0
        assert s.computed_by.username == "demo_sales"
        assert s.closed_by.username == "demo_sales2" and s.closed_by != s.computed_by
        assert LedgerLine.objects.filter(settlement=s).count() == s.lines
        assert not DraftLine.objects.filter(settlement=s).exists()
        assert f"settlement {s.label} of {s.scope_name}: closed, {s.lines:,} lines" in output
    draft = settlements[3]
    assert not draft.is_closed and draft.closed_by is None
    assert draft.computed_by.username == "demo_sales"
    assert DraftLine.objects.filter(settlement=draft).count() == draft.lines > 0
    assert not LedgerLine.objects.filter(settlement=draft).exists()
    assert f"settlement {draft.label} of {draft.scope_name}: draft" in output
    # Policies entered in March and were settled on: the ledger holds every month.
    assert set(LedgerLine.objects.values_list("month", flat=True)) == set(CLOSED)


def test_settling_again_changes_nothing(db, tmp_path):
    demo(tmp_path)

    def state():
        return (list(Settlement.objects.order_by("month").values_list(
                    "pk", "status", "computed_at", "closed_at", "lines", "totals")),
                LedgerLine.objects.count(),
                list(DraftLine.objects.order_by("pk").values_list("pk", flat=True)))

    before = state()
    assert [s.month for s in settle(moment(UNTIL))] == [*CLOSED, DRAFT]  # no refusal
    assert state() == before
    output = demo(tmp_path)  # the whole demo again: loads nothing new, settles nothing
    assert state() == before and "settlement 2026-03 of " in output
    output = demo(tmp_path, if_empty=True)  # `make run` on a loaded database
    assert state() == before
    assert "nothing loaded" in output and "settlement 2026-06 of " in output
