"""The organisation's facts that can be voided, and what must hold first."""

from pinzhi.core.voiding import VoidKind, register_void_kind

from .models import Agent, Unit


def _unit_in_use(unit: Unit) -> str | None:
    if unit.children.live().exists():
        return "it has units below it"
    if unit.agents.live().exists():
        return "it has agents"
    return None


def _agent_in_use(agent: Agent) -> str | None:
    if (n := agent.policies.live().count()) > 0:
        return f"{n} policies name this agent: void or reassign them first"
    return None


register_void_kind(VoidKind("unit", Unit, "code", "units", guard=_unit_in_use))
register_void_kind(VoidKind("agent", Agent, "code", "agents", guard=_agent_in_use))
