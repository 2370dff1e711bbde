"""The departure's panels: on the agent's page, his departure and its tasks (or, for an
active agent, how many policies of departed colleagues he services); on the policy's
page, who services it and its reassignments."""

from pinzhi.web.panels import agent_panel, policy_panel

from .models import Departure, ServicingAssignment
from .servicing import servicing_agent_id, taken_over_count
from .tasks import tasks_of
from .views import STATE_LABELS, TASK_LABELS


@agent_panel(30)
def departure_panel(agent, user, today):
    departure = (Departure.objects.restrict(user).live().select_related(
        "agent__team", "servicing_agent").filter(agent=agent).first())
    if departure is not None:
        return {"template": "departures/_agent_panel.html", "departure": departure,
                "tasks": tasks_of(departure, today), "states": STATE_LABELS,
                "task_labels": TASK_LABELS}
    if agent.status != agent.Status.ACTIVE:
        return None
    count = taken_over_count(agent)
    if not count:
        return None
    return {"template": "departures/_agent_panel.html", "taken_over": count}


@policy_panel(20)
def servicing_panel(policy, user, today):
    history = list(ServicingAssignment.objects.filter(policy=policy)
                   .select_related("agent", "from_agent", "departure")
                   .order_by("assigned_on", "id"))
    if not history:
        return None
    current = servicing_agent_id(policy, today)
    servicing = next((a.agent for a in reversed(history) if a.agent_id == current),
                     policy.agent)
    return {"template": "departures/_policy_panel.html", "servicing": servicing,
            "history": history}
