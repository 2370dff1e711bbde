"""The agent's recruitment checks on his page (issue 8): the record the law wants kept
of what was checked before his contract. Shown to the recruiting roles and to quality
(head office, the branch officer) only, in their scope; None for anyone else, and for
agents who came through the agents feed (no candidate)."""

from pinzhi.accounts.models import Role
from pinzhi.web.panels import agent_panel

from .models import Candidate

READERS = Role.RECRUIT | {Role.HQ_QUALITY, Role.QUALITY_OFFICER}


@agent_panel(10)
def recruitment_panel(agent, user, today):
    if not user.has_role(READERS):
        return None
    candidate = Candidate.objects.restrict(user).live().filter(agent=agent).first()
    if candidate is None:
        return None
    checks = candidate.checks.filter(voided_at__isnull=True).order_by("checked_on", "id")
    return {"template": "recruitment/_agent_panel.html", "candidate": candidate,
            "checks": list(checks)}
