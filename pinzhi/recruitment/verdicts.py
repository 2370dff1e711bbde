"""A candidate's verdict and state as the pages, the API and the export show them: his
live checks, and the `own_record` flag Pinzhi raises by itself, given to the pure `rules`
with the ban's years in force on the day (core.parameters `recruitment.ban_years`).

[reading] `own_record`: the agents feed carries no cause of a contract's end, so every
former agent of ours with the candidate's ID number who left within the ban's years of
the day is flagged; a person clears the flag by recording an `own_record` check `clear`
(or records it `barred`, with the day the contract was ended for cause).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from pinzhi.core.parameters import ParameterTable
from pinzhi.org.models import Agent

from . import rules
from .models import Candidate, RecruitmentCheck

KEY = "recruitment.ban_years"


def ban_years(day: dt.date, unit_path: str = "", table: ParameterTable | None = None) -> int:
    """The ban's years in force on `day` for the candidate's team (a branch may differ)."""
    return int((table or ParameterTable([KEY])).value(KEY, on=day, unit_path=unit_path))


def former_agents(id_numbers) -> dict[str, list[dt.date]]:
    """ID number -> the days our terminated agents with that number left."""
    left = defaultdict(list)
    rows = (Agent.objects.filter(id_number__in=list(id_numbers), voided_at__isnull=True,
                                 status=Agent.Status.TERMINATED, left_on__isnull=False)
            .values_list("id_number", "left_on"))
    for id_number, left_on in rows:
        left[id_number].append(left_on)
    return left


def own_record_flags(left_days: list[dt.date], day: dt.date) -> list[rules.Check]:
    """Pinzhi's own check: one flag per time a former agent with the number left."""
    return [rules.Check(rules.OWN_RECORD, rules.FLAGGED, day, left_on)
            for left_on in left_days if left_on <= day]


@dataclass(frozen=True)
class Verdict:
    day: dt.date
    ok: bool
    reasons: list[str]
    state: str
    ban_years: int


def verdict_of(candidate: Candidate, checks: list[rules.Check], left_days: list[dt.date],
               day: dt.date, years: int) -> Verdict:
    everything = checks + own_record_flags(left_days, day)
    ok, reasons = rules.verdict(everything, day, years)
    state = rules.state(everything, day, years, candidate.agent_id is not None)
    return Verdict(day, ok, reasons, state, years)


def verdict_for(candidate: Candidate, day: dt.date) -> Verdict:
    checks = [c.as_rule() for c in candidate.checks.filter(voided_at__isnull=True)]
    left = former_agents([candidate.id_number]).get(candidate.id_number, [])
    return verdict_of(candidate, checks, left, day, ban_years(day, candidate.team.path))


def with_verdicts(candidates, day: dt.date) -> list[Candidate]:
    """The candidates (a list or queryset) with `.verdict` set as of `day`, in one pass."""
    rows = list(candidates)
    table = ParameterTable([KEY])
    checks = defaultdict(list)
    for check in RecruitmentCheck.objects.filter(candidate__in=[c.pk for c in rows],
                                                 voided_at__isnull=True):
        checks[check.candidate_id].append(check.as_rule())
    left = former_agents({c.id_number for c in rows})
    for candidate in rows:
        years = ban_years(day, candidate.team.path, table)
        candidate.verdict = verdict_of(candidate, checks[candidate.pk],
                                       left.get(candidate.id_number, []), day, years)
    return rows
