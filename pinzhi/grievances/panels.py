"""The agent's grievances on his page (`@agent_panel(50)`): only for himself and for the
grievance handlers who may see them (Grievance.objects.restrict), never his managers."""

from pinzhi.web.panels import agent_panel

from .clock import with_clocks
from .models import Grievance
from .views import STATE_LABELS, is_handler


@agent_panel(50)
def grievances_panel(agent, user, today):
    if user.agent_id != agent.pk and not is_handler(user):
        return None
    rows = Grievance.objects.restrict(user).live().filter(agent=agent)
    if not rows.exists() and user.agent_id != agent.pk:
        return None
    return {"template": "grievances/_agent_panel.html", "states": STATE_LABELS,
            "grievances": with_clocks(rows.order_by("-received_on", "-grievance_no")[:10],
                                      today),
            "own": user.agent_id == agent.pk}
