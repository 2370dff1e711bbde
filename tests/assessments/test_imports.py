"""The rank_decisions feed (issue 8): HR's decisions as a GBK CSV or an XLSX, each row
checked as on the page; the ranks changed and the events written; a bad row names its
row and column and nothing is written; a decision sent again changes nothing."""

import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from pinzhi.accounts.models import Role
from pinzhi.assessments.models import RankDecision
from pinzhi.assessments.services import rank_decide
from pinzhi.core.importing import run_import
from pinzhi.core.models import Event

from .conftest import RANKS, rank_of

pytestmark = pytest.mark.django_db

HEADER = "agent_code,period,outcome,note\n"


def load(tmp_path, text: str, by):
    path = tmp_path / "rank_decisions.csv"
    path.write_bytes(text.encode("gbk"))
    return run_import("rank_decisions", path, by=by)


def decided_events():
    return list(Event.objects.filter(kind="agent").order_by("id")
                .values_list("action", "key", "data"))


def test_a_gbk_file_decides_two_agents(assessed, tmp_path):
    result = load(tmp_path, HEADER + "A004,2026h1,promote,半年考核晋升\n"
                  "A001,2026H1,demote,\n", by=assessed.users.sales)
    assert result.ok, [str(e) for e in result.errors]
    assert (result.created, result.updated) == (2, 0)
    a4 = RankDecision.objects.get(agent__code="A004")
    assert (a4.period, a4.from_rank, a4.to_rank, a4.outcome, a4.recommended, a4.standing,
            a4.promotion_eligible, str(a4.decided_on), a4.by.username, a4.note) == (
        "2026H1", "业务员", "业务主任", "promote", "promote", "good", True, "2026-07-10",
        "sales", "半年考核晋升")
    a1 = RankDecision.objects.get(agent__code="A001")
    assert (a1.to_rank, a1.recommended, a1.standing, a1.maintenance_passed) == (
        "业务员", "demote", "failed", False)
    assert (rank_of("A004"), rank_of("A001")) == ("业务主任", "业务员")
    assert rank_of("A002") == RANKS["A002"]
    events = decided_events()
    assert {(action, key) for action, key, _ in events} == {
        ("assessments.decided", "A004"), ("assessments.decided", "A001"),
        ("agent.updated", "A004"), ("agent.updated", "A001")}
    assert ("agent.updated", "A001", {"changes": {"rank": ["业务主任", "业务员"]}}) in events
    # the same file sent again changes nothing
    again = load(tmp_path, HEADER + "A004,2026H1,promote,半年考核晋升\n"
                 "A001,2026H1,demote,\n", by=assessed.users.sales)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert decided_events() == events and rank_of("A004") == "业务主任"


def test_an_xlsx_with_a_row_the_feed_does_not_allow(assessed, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.strip().split(","))
    sheet.append(["A004", "2026H1", "promote", "晋升"])
    sheet.append(["A001", "2026H1", "promote", None])  # failed: not eligible
    path = tmp_path / "rank_decisions.xlsx"
    book.save(path)
    result = run_import("rank_decisions", path, by=assessed.users.sales)
    assert [(e.row, e.column) for e in result.errors] == [(3, "outcome")]
    assert "not allowed for agent A001" in str(result.errors[0])
    assert not RankDecision.objects.exists() and decided_events() == []
    assert rank_of("A004") == "业务员"


@pytest.mark.parametrize("line, column, why", [
    ("A004,2026H2,promote,", "period", "has not ended"),  # the clock is in July 2026
    ("A004,2026H3,promote,", "period", "not a half-year"),
    ("A004,2026H1,demote,", "outcome", "has no rank beyond it"),  # the lowest rank
    ("A004,2026H1,fire,", "outcome", "one of"),
    ("A009,2026H1,promote,", "agent_code", "no such agent"),
])
def test_a_bad_row_names_its_row_and_column(assessed, tmp_path, line, column, why):
    result = load(tmp_path, HEADER + "A002,2026H1,promote,\n" + line + "\n",
                  by=assessed.users.sales)
    assert [(e.row, e.column) for e in result.errors] == [(3, column)]
    assert why in str(result.errors[0])
    assert not RankDecision.objects.exists() and rank_of("A002") == RANKS["A002"]


def test_a_decided_agent_sent_again(assessed, tmp_path):
    rank_decide(agent=assessed.agents["A002"], period="2026H1", outcome="maintain",
                note="产能未达标", by=assessed.users.sales)
    events = decided_events()
    same = load(tmp_path, HEADER + "A002,2026H1,maintain,另一备注\n", by=assessed.users.hq)
    assert same.ok and (same.created, same.updated, same.unchanged) == (0, 0, 1)
    decision = RankDecision.objects.get()
    assert (decision.outcome, decision.note, decision.by.username) == (
        "maintain", "产能未达标", "sales")
    assert decided_events() == events
    changed = load(tmp_path, HEADER + "A002,2026H1,promote,\n", by=assessed.users.sales)
    assert [(e.row, e.column) for e in changed.errors] == [(2, "outcome")]
    assert "decided already: maintain" in str(changed.errors[0])
    assert RankDecision.objects.get().outcome == "maintain" and rank_of("A002") == "业务经理"


def test_the_scope_and_the_right_of_who_imports(assessed, tmp_path, django_user_model):
    sales_gz = django_user_model.objects.create(username="sales_gz", role=Role.SALES_ADMIN,
                                                unit=assessed.units["GZ"])
    result = load(tmp_path, HEADER + "A001,2026H1,demote,\nA004,2026H1,promote,\n",
                  by=sales_gz)
    assert [(e.row, e.column) for e in result.errors] == [(3, "agent_code")]
    assert "not an agent of 2026H1 in sales_gz's scope" in str(result.errors[0])
    for user in (assessed.users.clerk, None):
        refused = load(tmp_path, HEADER + "A004,2026H1,promote,\n", by=user)
        assert [e.row for e in refused.errors] == [0]
        assert "may not import rank_decisions" in str(refused.errors[0])
    path = tmp_path / "rank_decisions.csv"
    with pytest.raises(CommandError, match="clerk may not import rank_decisions"):
        call_command("import", "rank_decisions", str(path), "--by", "clerk", verbosity=0)
    assert not RankDecision.objects.exists() and rank_of("A004") == "业务员"


def test_the_command_and_its_dry_run(assessed, tmp_path):
    path = tmp_path / "rank_decisions.csv"
    path.write_bytes((HEADER + "A004,2026H1,promote,\n").encode("gbk"))
    out = io.StringIO()
    call_command("import", "rank_decisions", str(path), "--by", "sales", "--dry-run",
                 stdout=out, verbosity=0)
    assert "created 1" in out.getvalue() and "dry run: nothing written" in out.getvalue()
    assert not RankDecision.objects.exists() and decided_events() == []
    assert rank_of("A004") == "业务员"
    call_command("import", "rank_decisions", str(path), "--by", "sales", stdout=out,
                 verbosity=0)
    assert rank_of("A004") == "业务主任"
    assert RankDecision.objects.get().by.username == "sales"
