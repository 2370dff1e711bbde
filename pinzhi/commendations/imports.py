"""The `commendations` feed file: commendations awarded elsewhere (HR, a branch's annual
awards), keyed by commendation_no. The awarding unit is the agent's team or a unit above
it."""

from pinzhi.core.importing import Column, ImportSpec, Reference, register
from pinzhi.core.importing import parsers as p
from pinzhi.core.importing.staging import TABLE
from pinzhi.org.models import Agent, Unit

from .models import Commendation, Kind


def _check_unit_above_agent(stage) -> list[tuple[int, str, str, str]]:
    rows = stage.fetch(
        f"SELECT s.row_no, s.unit_code, s.agent_code FROM {TABLE} s "
        f"JOIN {Agent._meta.db_table} a ON a.code = s.agent_code "
        f"JOIN {Unit._meta.db_table} t ON t.id = a.team_id "
        f"JOIN {Unit._meta.db_table} u ON u.code = s.unit_code "
        f"WHERE substr(t.path, 1, length(u.path)) <> u.path ORDER BY s.row_no")
    return [(row, "unit_code", unit, f"not a unit above agent {agent}")
            for row, unit, agent in rows]


COMMENDATIONS = register(ImportSpec(
    kind="commendations",
    model=Commendation,
    key=("commendation_no",),
    columns=(
        Column("commendation_no", p.code()),
        Column("agent_code", p.code(), field="agent"),
        Column("awarded_on", p.date, not_future=True),
        Column("kind", p.choice(*Kind.values)),
        Column("title", p.text(100)),
        Column("reason", p.text(4000)),
        Column("unit_code", p.code(), field="awarded_by_unit"),
    ),
    references=(
        Reference("agent_code", "agent", Agent),
        Reference("unit_code", "awarded_by_unit", Unit),
    ),
    check_stage=_check_unit_above_agent,
    description="commendations awarded to agents (issue 8)",
))
