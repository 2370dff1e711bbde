"""The `recruitment_checks` feed file (issue 8): checks of the law's bars made elsewhere
(the regulator's system, the police record, the credit reference centre), keyed by the
candidate, the kind and the day it was checked. Candidates themselves are recorded on
the page or through the API; the contract is signed there, never by a file."""

from pinzhi.core.importing import Column, ImportSpec, Reference, register
from pinzhi.core.importing import parsers as p
from pinzhi.core.importing.staging import TABLE

from . import rules
from .models import Candidate, RecruitmentCheck


def _check_row(values, today):
    refusal = rules.check_refusal(values["kind"], values["outcome"], values["checked_on"],
                                  values.get("event_on"), values.get("ends_on"))
    if refusal is None:
        return []
    column, why = refusal
    value = values.get(column)
    return [(column, value.isoformat() if hasattr(value, "isoformat") else str(value or ""),
             why)]


def _check_candidates(stage) -> list[tuple[int, str, str, str]]:
    """No check before the candidate applied; none new or changed after his contract."""
    candidates, checks = Candidate._meta.db_table, RecruitmentCheck._meta.db_table
    early = stage.fetch(
        f"SELECT s.row_no, s.checked_on FROM {TABLE} s JOIN {candidates} c "
        f"ON c.candidate_no = s.candidate_no WHERE s.checked_on < c.applied_on "
        f"ORDER BY s.row_no")
    signed = stage.fetch(
        f"SELECT s.row_no, s.candidate_no FROM {TABLE} s JOIN {candidates} c "
        f"ON c.candidate_no = s.candidate_no WHERE c.agent_id IS NOT NULL AND NOT EXISTS "
        f"(SELECT 1 FROM {checks} t WHERE t.candidate_id = c.id AND t.kind = s.kind "
        f"AND t.checked_on = s.checked_on AND t.outcome = s.outcome "
        f"AND t.event_on IS NOT DISTINCT FROM s.event_on "
        f"AND t.ends_on IS NOT DISTINCT FROM s.ends_on AND t.source = s.source) "
        f"ORDER BY s.row_no")
    return ([(row, "checked_on", str(day), "before the candidate applied")
             for row, day in early]
            + [(row, "candidate_no", no, "the candidate has signed the contract already")
               for row, no in signed])


def _recorded_by(stage) -> list[str]:
    """The checks the file added are recorded by whoever imported it."""
    if stage.by is None:
        return []
    candidates, checks = Candidate._meta.db_table, RecruitmentCheck._meta.db_table
    stage.execute(
        f"UPDATE {checks} SET by_id = %s WHERE by_id IS NULL AND id IN (SELECT t.id FROM "
        f"{checks} t JOIN {candidates} c ON c.id = t.candidate_id JOIN {TABLE} s "
        f"ON s.candidate_no = c.candidate_no AND s.kind = t.kind "
        f"AND s.checked_on = t.checked_on)", [stage.by.pk])
    return []


CHECKS = register(ImportSpec(
    kind="recruitment_checks",
    model=RecruitmentCheck,
    key=("candidate_no", "kind", "checked_on"),
    columns=(
        Column("candidate_no", p.code(), field="candidate"),
        Column("kind", p.choice(*rules.KINDS)),
        Column("checked_on", p.date, not_future=True),
        Column("outcome", p.choice(*rules.OUTCOMES)),
        Column("event_on", p.date, required=False, not_future=True),
        Column("ends_on", p.date, required=False),
        Column("source", p.text(100)),
        Column("note", p.text(2000), required=False, default=""),
    ),
    references=(
        Reference("candidate_no", "candidate", Candidate, to_field="candidate_no"),
    ),
    check_row=_check_row,
    check_stage=_check_candidates,
    after_apply=_recorded_by,
    description="recruitment checks of the law's bars before the agency contract (issue 8)",
))
