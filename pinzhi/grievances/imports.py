"""The `grievances` feed file: grievances received elsewhere (letters, the hotline, a
visit), keyed by grievance_no. Only what was received: handling them (the handler, the
reply) happens here, through the services."""

from pinzhi.core.importing import Column, ImportSpec, Reference, register
from pinzhi.core.importing import parsers as p
from pinzhi.org.models import Agent

from .models import About, Channel, Grievance


def _not_against_himself(values: dict, today) -> list[tuple[str, str, str]]:
    against = values.get("against_agent_code")
    if against and against == values.get("agent_code"):
        return [("against_agent_code", against, "an agent's grievance is not against himself")]
    return []


GRIEVANCES = register(ImportSpec(
    kind="grievances",
    model=Grievance,
    key=("grievance_no",),
    columns=(
        Column("grievance_no", p.code()),
        Column("received_on", p.date, not_future=True),
        Column("agent_code", p.code(), field="agent"),
        Column("about", p.choice(*About.values)),
        Column("against_agent_code", p.code(), required=False, field="against_agent"),
        Column("channel", p.choice(*Channel.values), required=False, default=Channel.LETTER),
        Column("summary", p.text(4000)),
    ),
    references=(
        Reference("agent_code", "agent", Agent),
        Reference("against_agent_code", "against_agent", Agent),
    ),
    check_row=_not_against_himself,
    description="agents' grievances received on paper (issue 8); handled in Pinzhi",
))
