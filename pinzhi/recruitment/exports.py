"""`pinzhi export recruitment --out FILE`: one row per candidate with his checks in short
and the verdict as of a day (default today). The ID number and the phone are masked: the
file leaves Pinzhi, and who opens it is not logged."""

import datetime as dt
from collections.abc import Iterator

from django.utils import timezone

from pinzhi.core.exporting import ExportKind, register, write_table
from pinzhi.core.importing.parsers import date
from pinzhi.org.models import Unit

from .models import Candidate, RecruitmentCheck
from .verdicts import with_verdicts

HEADER = ["candidate_no", "name", "id_number", "phone", "unit_code", "rank", "applied_on",
          "checks", "barred_checks", "state", "may_sign", "reasons", "agent_code",
          "hired_on"]
CHUNK = 2000


def _summary(checks: list[RecruitmentCheck]) -> str:
    """`kind:outcome@checked_on` of the live checks, in the order they were made."""
    return "; ".join(f"{c.kind}:{c.outcome}@{c.checked_on.isoformat()}" for c in checks)


def recruitment_rows(as_of: dt.date, unit: Unit | None = None) -> Iterator[list]:
    candidates = (Candidate.objects.live().select_related("team", "agent")
                  .order_by("candidate_no"))
    if unit is not None:
        candidates = candidates.filter(team__path__startswith=unit.path)
    ids = list(candidates.values_list("pk", flat=True))
    for start in range(0, len(ids), CHUNK):  # verdicts in chunks: one pass each
        chunk = with_verdicts(candidates.filter(pk__in=ids[start:start + CHUNK]), as_of)
        checks: dict[int, list] = {}
        for check in (RecruitmentCheck.objects.live().filter(candidate__in=chunk)
                      .order_by("checked_on", "id")):
            checks.setdefault(check.candidate_id, []).append(check)
        for c in chunk:
            mine = checks.get(c.pk, [])
            yield [c.candidate_no, c.name, c.id_number_masked, c.phone_masked, c.team.code,
                   c.rank, c.applied_on.isoformat(), _summary(mine),
                   sum(1 for k in mine if k.outcome == "barred"), c.verdict.state,
                   "true" if c.verdict.ok else "false", "; ".join(c.verdict.reasons),
                   c.agent.code if c.agent else "",
                   c.agent.hired_on.isoformat() if c.agent else ""]


def _arguments(parser):
    parser.add_argument("--as-of", dest="as_of", help="YYYY-MM-DD (default today)")
    parser.add_argument("--unit", help="a unit's code: only its subtree's candidates")


def write_recruitment(options, out):
    """the candidates with their recruitment checks and the verdict"""
    as_of = date(options["as_of"]) if options.get("as_of") else timezone.localdate()
    unit = None
    if options.get("unit"):
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise ValueError(f"no such unit: {options['unit']}")
    return write_table(out, HEADER, recruitment_rows(as_of, unit))


register(ExportKind("recruitment", _arguments, write_recruitment))
