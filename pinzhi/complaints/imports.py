"""The `complaints` feed file: complaints received elsewhere (the 95xxx call centre, the
regulator's hotline), keyed by complaint_no. Only what was received: handling them (the
handler, extensions, the decision, the review) happens here, through the services."""

from pinzhi.core.importing import Column, ImportSpec, Reference, register
from pinzhi.core.importing import parsers as p
from pinzhi.core.importing.staging import TABLE
from pinzhi.org.models import Agent
from pinzhi.policies.models import Policy

from .models import Channel, Complaint


def _check_policy_agent(stage) -> list[tuple[int, str, str, str]]:
    """A complaint's policy is its agent's."""
    rows = stage.fetch(
        f"SELECT s.row_no, s.policy_no, s.agent_code FROM {TABLE} s "
        f"JOIN {Policy._meta.db_table} po ON po.policy_no = s.policy_no "
        f"JOIN {Agent._meta.db_table} a ON a.id = po.agent_id "
        f"WHERE a.code <> s.agent_code ORDER BY s.row_no")
    return [(row, "policy_no", no, f"the policy is not agent {agent}'s")
            for row, no, agent in rows]


COMPLAINTS = register(ImportSpec(
    kind="complaints",
    model=Complaint,
    key=("complaint_no",),
    columns=(
        Column("complaint_no", p.code()),
        Column("received_on", p.date, not_future=True),
        Column("agent_code", p.code(), field="agent"),
        Column("policy_no", p.code(), required=False, field="policy"),
        Column("channel", p.choice(*Channel.values), required=False, default=Channel.PHONE),
        Column("complainant", p.text(60)),
        Column("summary", p.text(2000)),
    ),
    references=(
        Reference("agent_code", "agent", Agent),
        Reference("policy_no", "policy", Policy, to_field="policy_no"),
    ),
    check_stage=_check_policy_agent,
    description="customer complaints received (issue 8); handled in Pinzhi",
))
