"""`pinzhi export regulator YYYYQn --out FILE` (interfaces.md, rules §8.3): the agents
with false or incomplete customer information found in the quarter (by the day the case
was found), confirmed cases only (under appeal counts until overturned), each with its
policy, what was wrong, when it was found and what was done."""

import datetime as dt
import re

from pinzhi.core import parameters
from pinzhi.core.exporting import ExportKind, register, write_table
from pinzhi.quality.models import COUNTING, Case
from pinzhi.quality.scoring import points
from pinzhi.receipts.rules import add_months

HEADER = ["quarter", "agent_code", "agent_name", "unit_code", "policy_no", "problem",
          "found_on", "action"]


def quarter_bounds(text: str) -> tuple[dt.date, dt.date]:
    """'2026Q2' -> (2026-04-01, 2026-06-30); ValueError for anything else."""
    match = re.fullmatch(r"(\d{4})Q([1-4])", text.strip().upper())
    if not match:
        raise ValueError(f"not a quarter (e.g. 2026Q1): {text!r}")
    first = dt.date(int(match[1]), 3 * int(match[2]) - 2, 1)
    return first, add_months(first, 3) - dt.timedelta(days=1)


def regulator_rows(quarter: str):
    first, last = quarter_bounds(quarter)
    codes = parameters.value("reports.regulator_violation_codes", on=last)
    cases = (Case.objects.filter(type__code__in=codes, status__in=COUNTING,
                                 voided_at__isnull=True, found_on__gte=first,
                                 found_on__lte=last)
             .select_related("agent__team", "policy", "type", "version")
             .order_by("found_on", "agent__code", "case_no"))
    label = quarter.strip().upper()
    for case in cases.iterator(chunk_size=2000):
        name = case.version.name_zh if case.version else case.type.code
        problem = name + (f": {case.evidence}" if case.evidence else "")
        tenths = case.version.points_tenths if case.version else 0
        action = f"{case.status}, {points(tenths)} points, case {case.case_no}"
        yield [label, case.agent.code, case.agent.name, case.agent.team.code,
               case.policy.policy_no if case.policy else "", problem,
               case.found_on.isoformat(), action]


def _arguments(parser):
    parser.add_argument("quarter", help="YYYYQn, e.g. 2026Q1")


def write_regulator(options, out):
    """the quarterly false-information report (rules §8.3)"""
    quarter_bounds(options["quarter"])  # a usage error before anything is written
    return write_table(out, HEADER, regulator_rows(options["quarter"]))


register(ExportKind("regulator", _arguments, write_regulator))
