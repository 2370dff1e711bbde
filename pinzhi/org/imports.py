"""The `units` and `agents` feed files (interfaces.md)."""

from pinzhi.core.importing import Column, ImportSpec, Reference, register
from pinzhi.core.importing import parsers as p

from .models import LEVEL_DEPTH, Agent, Level, Unit
from .services import rebuild_unit_paths


def _check_unit_tree(stage) -> list[tuple[int, str, str, str]]:
    """Root is the only hq; each unit sits below a shallower one; no cycles; teams with
    agents stay teams. Units are few, so the tree is checked in memory."""
    staged = stage.staged("code", "parent_code", "level")
    stored = {u.code: (u.parent.code if u.parent else None, u.level)
              for u in Unit.objects.select_related("parent")}
    tree = dict(stored)
    tree.update({code: (parent, level) for _, code, parent, level in staged})
    with_agents = set(Agent.objects.values_list("team__code", flat=True).distinct())
    errors = []
    for row, code, parent, level in staged:
        if level == Level.HQ and parent:
            errors.append((row, "parent_code", parent, "head office has no parent"))
        elif level != Level.HQ and not parent:
            errors.append((row, "parent_code", "", "required below head office"))
        elif parent and parent in tree and LEVEL_DEPTH[tree[parent][1]] >= LEVEL_DEPTH[level]:
            errors.append((row, "level", level, f"not below its parent's level "
                                                 f"({tree[parent][1]})"))
        elif _in_cycle(code, tree):
            errors.append((row, "parent_code", parent, "the unit would be its own ancestor"))
        if level != Level.TEAM and code in with_agents:
            errors.append((row, "level", level, "the unit has agents: it must stay a team"))
    return errors


def _in_cycle(code: str, tree: dict) -> bool:
    seen, current = set(), code
    while current is not None and current in tree:
        if current in seen:
            return True
        seen.add(current)
        current = tree[current][0]
    return False


def _rebuild_paths(stage) -> list[str]:
    rebuild_unit_paths()
    return []


UNITS = register(ImportSpec(
    kind="units",
    model=Unit,
    key=("code",),
    columns=(
        Column("code", p.code()),
        Column("name", p.text(100)),
        Column("parent_code", p.code(), required=False, field="parent"),
        Column("level", p.choice(*Level.values)),
        Column("phones", p.landlines, required=False, default=""),
    ),
    references=(Reference("parent_code", "parent", Unit, within_file=True),),
    check_stage=_check_unit_tree,
    after_apply=_rebuild_paths,
    description="organisation units, a tree: hq > branch > subbranch > office > team",
))


def _check_agent(values, today):
    errors = []
    status, left_on, hired_on = values["status"], values["left_on"], values["hired_on"]
    if status == Agent.Status.TERMINATED and left_on is None:
        errors.append(("left_on", "", "required when the status is terminated"))
    if status == Agent.Status.ACTIVE and left_on is not None:
        errors.append(("left_on", left_on.isoformat(), "given, but the status is active"))
    if left_on is not None and left_on < hired_on:
        errors.append(("left_on", left_on.isoformat(), "before hired_on"))
    return errors


AGENTS = register(ImportSpec(
    kind="agents",
    model=Agent,
    key=("agent_code",),
    columns=(
        Column("agent_code", p.code(), field="code"),
        Column("name", p.text(60)),
        Column("id_number", p.resident_id),
        Column("phone", p.mobile),
        Column("unit_code", p.code(), field="team"),
        Column("rank", p.text(40)),
        Column("hired_on", p.date, not_future=True),
        Column("status", p.choice(*Agent.Status.values), required=False,
               default=Agent.Status.ACTIVE),
        Column("left_on", p.date, required=False, not_future=True),
    ),
    references=(
        Reference("unit_code", "team", Unit, where="r.level = 'team'",
                  where_reason="not a team: agents belong to teams"),
    ),
    check_row=_check_agent,
    description="agents, each in a team",
))
