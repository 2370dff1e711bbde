"""The `cases` feed file (interfaces.md): cases found outside Pinzhi (audits, complaints)."""

import datetime as dt

from pinzhi.core.importing import Column, ImportSpec, Reference, register
from pinzhi.core.importing import parsers as p
from pinzhi.org.models import Agent
from pinzhi.policies.models import Policy

from .catalogue import Catalogue
from .models import Case, CaseStatus, ViolationType
from .services import CLOCKED_TYPES, _due_on, cases_confirm_imported

IMPORTABLE_STATUSES = (CaseStatus.DRAFT, CaseStatus.CONFIRMED)


def _check_case(values, today):
    values["found_on"] = values["found_on"] or values["occurred_on"]  # found when it happened
    if values["found_on"] < values["occurred_on"]:
        return [("found_on", values["found_on"].isoformat(), "before occurred_on")]
    return []


def _check_states(stage):
    """A file may create drafts or confirmed cases and confirm a draft; every other
    change of state goes through the case's own pages (appeals, dismissals). Every case
    must have a catalogue version in force on its day for its agent's unit."""
    rows = stage.staged("case_no", "status", "agent_code", "violation_code", "occurred_on")
    staged = {no: (row, status) for row, no, status, *_ in rows}
    errors = _unpriced(rows)
    stored = Case.objects.filter(case_no__in=list(staged)).values_list("case_no", "status")
    for case_no, status in stored:
        row, wanted = staged[case_no]
        if wanted != status and not (status == CaseStatus.DRAFT and
                                     wanted == CaseStatus.CONFIRMED):
            errors.append((row, "status", wanted, f"the case is {status}: a file may only "
                                                  "confirm a draft"))
    return errors


def _unpriced(rows):
    catalogue = Catalogue()
    paths = dict(Agent.objects.filter(code__in={r[3] for r in rows})
                 .values_list("code", "team__path"))
    errors = []
    for row, _, _, agent_code, code, occurred_on in rows:
        if agent_code not in paths or code not in catalogue.versions:
            continue  # an unknown agent or violation is reported as such
        # SQLite hands staged dates back as text
        day = dt.date.fromisoformat(occurred_on) if isinstance(occurred_on, str) else occurred_on
        if catalogue.price(code, on=day, unit_path=paths.get(agent_code, "")) is None:
            errors.append((row, "violation_code", code, f"not in the catalogue on {day}"))
    return errors


def _price_and_confirm(stage) -> list[str]:
    """Price new cases (the catalogue version in force on the day, for the agent's unit),
    start the clock of clocked types, and confirm those the file gives as confirmed."""
    numbers = [no for _, no in stage.staged("case_no")]
    cases = Case.objects.filter(case_no__in=numbers)
    catalogue = Catalogue()
    priced, warnings = [], []
    for case in cases.filter(version__isnull=True).select_related("agent__team", "type"):
        case.version = catalogue.price(case.type.code, on=case.occurred_on,
                                       unit_path=case.agent.team.path)  # checked above
        if case.type.code in CLOCKED_TYPES and case.due_on is None:
            case.due_on = _due_on(case.type.code, case.found_on, case.agent)
        priced.append(case)
    Case.objects.bulk_update(priced, ["version", "due_on"], batch_size=1000)
    cases_confirm_imported(cases=cases, by=stage.by, now=stage.now)
    return warnings


CASES = register(ImportSpec(
    kind="cases",
    model=Case,
    key=("case_no",),
    columns=(
        Column("case_no", p.code()),
        Column("agent_code", p.code(), field="agent"),
        Column("violation_code", p.code(), field="type"),
        Column("occurred_on", p.date, not_future=True),
        Column("policy_no", p.code(), required=False, field="policy"),
        Column("found_on", p.date, required=False, not_future=True),
        Column("status", p.choice(*IMPORTABLE_STATUSES), required=False,
               default=CaseStatus.DRAFT),
        Column("evidence", p.text(4000), required=False, default=""),
    ),
    references=(
        Reference("agent_code", "agent", Agent),
        Reference("violation_code", "type", ViolationType),
        Reference("policy_no", "policy", Policy, to_field="policy_no"),
    ),
    check_row=_check_case,
    check_stage=_check_states,
    after_apply=_price_and_confirm,
    description="quality cases found outside Pinzhi",
))
