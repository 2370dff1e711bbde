"""The agent's commendations on his page (`@agent_panel(45)`), beside his cases: to
whoever sees the agent (Commendation.objects.restrict)."""

from pinzhi.web.panels import agent_panel

from .models import Commendation


@agent_panel(45)
def commendations_panel(agent, user, today):
    rows = (Commendation.objects.restrict(user).live().filter(agent=agent)
            .select_related("awarded_by_unit").order_by("-awarded_on", "-commendation_no"))
    shown = list(rows[:10])
    if not shown:
        return None
    return {"template": "commendations/_agent_panel.html", "commendations": shown,
            "count": rows.count()}
