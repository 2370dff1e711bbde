"""The agent's page: the inspection findings naming him (issue 8), in the viewer's scope."""

from pinzhi.web.panels import agent_panel

from .models import Finding
from .reading import with_states


@agent_panel(40)
def findings_panel(agent, user, today):
    findings = Finding.objects.restrict(user).live().filter(
        agent=agent, plan__voided_at__isnull=True).order_by("-found_on", "finding_no")
    rows = with_states(findings[:20], today)
    if not rows:
        return None
    return {"template": "inspections/_agent_panel.html", "findings": rows}
