"""The `cases` feed file (interfaces.md): cases found outside Pinzhi (audits, complaints)."""

import datetime as dt

from django.db.models.expressions import RawSQL

from pinzhi.core import parameters
from pinzhi.core.calendar import load_calendar
from pinzhi.core.importing import Column, ImportSpec, Reference, register
from pinzhi.core.importing import parsers as p
from pinzhi.core.importing.staging import TABLE
from pinzhi.org.models import Agent, Unit
from pinzhi.policies.models import Policy

from .catalogue import Catalogue
from .models import Case, CaseStatus, ViolationType
from .services import CLOCKED_TYPES, cases_confirm_imported

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
    changed = stage.fetch(
        f"SELECT s.row_no, s.status, c.status FROM {TABLE} s "
        f"JOIN {Case._meta.db_table} c ON c.case_no = s.case_no WHERE s.status <> c.status")
    errors = [(row, "status", wanted, f"the case is {status}: a file may only confirm a draft")
              for row, wanted, status in changed
              if not (status == CaseStatus.DRAFT and wanted == CaseStatus.CONFIRMED)]
    return errors + _unpriced(stage)


def _unpriced(stage):
    """Rows whose violation has no catalogue version in force on the day for the agent's
    unit. Unknown agents and violations are reported as such by the engine."""
    catalogue = Catalogue()
    rows = stage.fetch(
        f"SELECT s.row_no, s.violation_code, s.occurred_on, u.path FROM {TABLE} s "
        f"JOIN {Agent._meta.db_table} a ON a.code = s.agent_code "
        f"JOIN {Unit._meta.db_table} u ON u.id = a.team_id "
        f"WHERE s.violation_code IN (SELECT code FROM {ViolationType._meta.db_table})")
    errors = []
    for row, code, day, path in rows:
        day = _as_date(day)
        if catalogue.price(code, on=day, unit_path=path) is None:
            errors.append((row, "violation_code", code, f"not in the catalogue on {day}"))
    return errors


def _as_date(value) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value  # SQLite: text


def _price_and_confirm(stage) -> list[str]:
    """Price the file's new cases by the catalogue version in force on the day for the
    agent's unit (one in-force rule, in Python), start the clock of clocked types, write
    both back in one UPDATE, and confirm those the file gives as confirmed."""
    rows = stage.fetch(
        f"SELECT c.id, t.code, c.occurred_on, c.found_on, u.path, a.team_id "
        f"FROM {Case._meta.db_table} c JOIN {TABLE} s ON s.case_no = c.case_no "
        f"JOIN {ViolationType._meta.db_table} t ON t.id = c.type_id "
        f"JOIN {Agent._meta.db_table} a ON a.id = c.agent_id "
        f"JOIN {Unit._meta.db_table} u ON u.id = a.team_id WHERE c.version_id IS NULL")
    catalogue, clocks = Catalogue(), _Clocks()
    priced = []
    for case_id, code, occurred_on, found_on, path, team_id in rows:
        version = catalogue.price(code, on=_as_date(occurred_on), unit_path=path)
        due_on = clocks.due_on(code, _as_date(found_on), team_id) \
            if code in CLOCKED_TYPES else None
        priced.append((case_id, version.pk, due_on))
    _write_prices(stage, priced)
    imported = Case.objects.filter(case_no__in=RawSQL(f"SELECT case_no FROM {TABLE}", []))
    cases_confirm_imported(cases=imported, by=stage.by, now=stage.now)
    return []


class _Clocks:
    """Due dates of clocked cases: the calendar once, the parameter once per team."""

    def __init__(self):
        self.calendar, self.days = load_calendar(), {}

    def due_on(self, code: str, found_on: dt.date, team_id: int) -> dt.date:
        key = (CLOCKED_TYPES[code], team_id, found_on)
        if key not in self.days:
            team = Unit.objects.get(pk=team_id)
            self.days[key] = int(parameters.value(key[0], on=found_on, unit=team))
        return self.calendar.add_working_days(found_on, self.days[key])


def _write_prices(stage, priced) -> None:
    table = Case._meta.db_table
    stage.execute("DROP TABLE IF EXISTS pz_price")
    stage.execute("CREATE TEMPORARY TABLE pz_price (id bigint, version_id bigint, due_on date)")
    with stage.connection.cursor() as cursor:
        if stage.vendor == "postgresql":
            with cursor.cursor.copy("COPY pz_price FROM STDIN") as copy:
                for row in priced:
                    copy.write_row(row)
        else:
            cursor.executemany("INSERT INTO pz_price VALUES (%s, %s, %s)", priced)
    stage.execute(
        f"UPDATE {table} AS c SET version_id = p.version_id, "
        f"due_on = COALESCE(c.due_on, p.due_on) FROM pz_price p WHERE c.id = p.id")
    stage.execute("DROP TABLE pz_price")


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
        Column("found_on", p.date, required=False, not_future=True,
               default_from="occurred_on"),
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
