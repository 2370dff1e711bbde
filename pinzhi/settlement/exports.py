"""`pinzhi export settlement YYYY-MM --out FILE [--detail] [--unit CODE]` (interfaces.md).

A month's lines are the ledger's where the month is closed, and the draft's where it is
not: every settlement of the month (one per unit settled, or the company's) is written.
"""

from pinzhi.core.exporting import ExportKind, register, write_table
from pinzhi.core.money import yuan
from pinzhi.org.models import Unit

from . import rules
from .models import Settlement
from .statements import month_lines, per_agent

SUMMARY_HEADER = ["month", "agent_code", "agent_name", "unit_code", *rules.COLUMNS]
DETAIL_HEADER = ["month", "agent_code", "policy_no", "action", "amount", "reasons"]


def _arguments(parser):
    parser.add_argument("month", help="YYYY-MM")
    parser.add_argument("--detail", action="store_true", help="one row per line")
    parser.add_argument("--unit", help="only the agents of this unit's subtree")


def summary_rows(month, *, scope_path: str = "", user=None):
    """One row per agent with a line in the month: the interfaces.md columns (yuan)."""
    label = rules.month_label(month)
    for row in per_agent(month, scope_path=scope_path, user=user):
        t = row.totals.as_dict()
        yield [label, row.agent.code, row.agent.name, row.agent.team.code,
               *(yuan(t[c]) for c in rules.COLUMNS)]


def detail_rows(month, *, scope_path: str = "", user=None):
    label = rules.month_label(month)
    for lines in month_lines(month, scope_path=scope_path, user=user):
        rows = (lines.order_by("agent__code", "policy__policy_no", "id")
                .values_list("agent__code", "policy__policy_no", "action", "amount_fen",
                             "reasons"))
        for code, policy_no, action, amount, reasons in rows.iterator(chunk_size=5000):
            yield [label, code, policy_no or "", action, yuan(amount), reasons]


def write_settlement(options, out):
    """the month's settlement, one row per agent (--detail: per ledger line)"""
    month = rules.parse_month(options["month"])
    scope_path = ""
    if options.get("unit"):
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise ValueError(f"--unit: no unit {options['unit']!r}")
        scope_path = unit.path
    if not Settlement.objects.filter(month=month).exists():
        raise ValueError(f"{rules.month_label(month)} has not been settled: run "
                         f"`pinzhi settle {rules.month_label(month)}` first")
    if options.get("detail"):
        return write_table(out, DETAIL_HEADER, detail_rows(month, scope_path=scope_path))
    return write_table(out, SUMMARY_HEADER, summary_rows(month, scope_path=scope_path))


register(ExportKind("settlement", _arguments, write_settlement))
