"""The `inspection_findings` feed file (issue 8): findings of an inspection recorded
elsewhere (a head-office inspection team's sheet), under a plan made in Pinzhi, keyed by
finding_no. Only what was found: the rectification is recorded here, through the services.

What a row needs of its plan is checked against the plan (`_check_plans`, before anything
is written): found on or after the plan's period starts, an owner whose scope holds the
plan's unit, an agent of that unit, a violation only with the agent and priced on the day,
an item number on the plan's checklist (resolved to the item in the staging table), and an
empty due_on resolved to the default deadline. After the rows are written, a finding that
shows a violation drafts its case through the quality service, one by one as the page's
findings do (a findings file is a few hundred rows, not a million).
"""

import datetime as dt

from django.db import connection
from django.db.models.expressions import RawSQL

from pinzhi.accounts.models import User
from pinzhi.core.importing import Column, ImportSpec, Reference, register
from pinzhi.core.importing import parsers as p
from pinzhi.core.importing.staging import TABLE, q
from pinzhi.core.parameters import ParameterTable
from pinzhi.org.models import Agent
from pinzhi.quality.catalogue import Catalogue
from pinzhi.quality.models import ViolationType

from . import rules
from .models import ChecklistItem, Finding, InspectionPlan
from .services import RECTIFICATION_DAYS, draft_case, may_own


def _as_date(value) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value  # SQLite: text


class _Defaults:
    """The default deadline per plan unit and day: the parameter's versions read once."""

    def __init__(self):
        self.table = ParameterTable([RECTIFICATION_DAYS])

    def due(self, plan: InspectionPlan, found_on: dt.date) -> dt.date:
        days = self.table.value(RECTIFICATION_DAYS, on=found_on, unit_path=plan.unit.path)
        return rules.default_due(found_on, int(days))


def _row_errors(row: dict, plan, owner, agent, catalogue) -> list[tuple[str, str, str]]:
    errors = []
    found_on = row["found_on"]
    if found_on < plan.period_from:
        errors.append(("found_on", found_on.isoformat(),
                       f"before the plan's period ({plan.period_from})"))
    if owner is not None and not may_own(owner, plan):
        errors.append(("owner_username", owner.username,
                       f"the plan's unit {plan.unit.code} is outside his scope"))
    if agent is not None and not agent.team.path.startswith(plan.unit.path):
        errors.append(("agent_code", agent.code, f"not of unit {plan.unit.code}"))
    code = row.get("violation_code")
    if code and agent is None and not row.get("agent_code"):
        errors.append(("violation_code", code, "a violation needs the agent (agent_code)"))
    elif code and agent is not None and \
            catalogue.price(code, on=found_on, unit_path=agent.team.path) is None:
        errors.append(("violation_code", code, f"not in the catalogue on {found_on}"))
    due_on = row.get("due_on")
    if due_on is not None and due_on < found_on:
        errors.append(("due_on", due_on.isoformat(), "before found_on"))
    return errors


def _check_plans(stage) -> list[tuple[int, str, str, str]]:
    names = [c.name for c in stage.columns]
    rows = [dict(zip(["row_no", *names], r, strict=True)) for r in stage.staged(*names)]
    for row in rows:
        for day in ("found_on", "due_on"):
            if day in row:
                row[day] = _as_date(row[day])
    plans = {p.plan_no: p for p in InspectionPlan.objects.select_related("unit").filter(
        plan_no__in={r["plan_no"] for r in rows})}
    owners = User.objects.in_bulk({r["owner_username"] for r in rows}, field_name="username")
    agents = {a.code: a for a in Agent.objects.select_related("team").filter(
        code__in={r.get("agent_code") for r in rows} - {None})}
    items = {(i.plan_id, i.seq): i.pk for i in ChecklistItem.objects.filter(
        plan__plan_no__in=list(plans))}
    catalogue, defaults = Catalogue(), _Defaults()
    errors, item_ids, due_days = [], [], []
    for row in rows:
        plan = plans.get(row["plan_no"])
        if plan is None:  # the engine reports the unknown plan
            continue
        errors += [(row["row_no"], c, v, why) for c, v, why in _row_errors(
            row, plan, owners.get(row["owner_username"]), agents.get(row.get("agent_code")),
            catalogue)]
        seq = row.get("item_seq")
        if seq is not None:
            if (plan.pk, seq) not in items:
                errors.append((row["row_no"], "item_seq", str(seq),
                               f"no such item on plan {plan.plan_no}"))
            else:
                item_ids.append((items[plan.pk, seq], row["row_no"]))
        if "due_on" in row and row["due_on"] is None:
            due_days.append((defaults.due(plan, row["found_on"]), row["row_no"]))
    if not errors:  # the stage names the item by its id, and every deadline is set
        _update_stage("item_seq", item_ids)
        _update_stage("due_on", due_days)
    return errors


def _update_stage(column: str, values: list[tuple]) -> None:
    if values:
        with connection.cursor() as cur:
            cur.executemany(f"UPDATE {TABLE} SET {q(column)} = %s WHERE row_no = %s", values)


def _after_findings(stage) -> list[str]:
    in_file = Finding.objects.filter(
        finding_no__in=RawSQL(f"SELECT finding_no FROM {TABLE}", [])).select_related(
        "plan__unit", "agent__team", "violation_type")
    if "due_on" not in {c.name for c in stage.columns}:  # new rows took found_on for now
        defaults = _Defaults()
        fresh = list(in_file.filter(created_at=stage.now))
        for finding in fresh:
            finding.due_on = defaults.due(finding.plan, finding.found_on)
        Finding.objects.bulk_update(fresh, ["due_on"], batch_size=1000)
    drafting = list(in_file.filter(voided_at__isnull=True, case__isnull=True,
                                   violation_type__isnull=False, agent__isnull=False))
    for finding in drafting:
        finding.case = draft_case(finding, stage.by)
    Finding.objects.bulk_update(drafting, ["case"], batch_size=1000)
    return []


FINDINGS = register(ImportSpec(
    kind="inspection_findings",
    model=Finding,
    key=("finding_no",),
    columns=(
        Column("finding_no", p.code()),
        Column("plan_no", p.code(), field="plan"),
        Column("found_on", p.date, not_future=True),
        Column("description", p.text(2000)),
        Column("owner_username", p.code(150), field="owner"),
        Column("due_on", p.date, required=False, default_from="found_on"),
        Column("agent_code", p.code(), required=False, field="agent"),
        Column("violation_code", p.code(), required=False, field="violation_type"),
        Column("item_seq", p.integer(1, 9999), required=False, field="item"),
    ),
    references=(
        Reference("plan_no", "plan", InspectionPlan, to_field="plan_no"),
        Reference("owner_username", "owner", User, to_field="username",
                  where="r.is_active AND r.role <> 'agent'",
                  where_reason="not an active staff user"),
        Reference("agent_code", "agent", Agent),
        Reference("violation_code", "violation_type", ViolationType),
    ),
    check_stage=_check_plans,
    after_apply=_after_findings,
    description="inspection findings under a plan (issue 8); rectified in Pinzhi",
))
