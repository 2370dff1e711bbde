"""The agent's page (issue 8): his rank decisions, and what the feed recommends for the
last ended half-year while it is undecided. Shown to those who decide and to managers
(their subtree, as the page itself is) and to the agent himself."""

from pinzhi.accounts.models import Role
from pinzhi.web.panels import agent_panel

from .models import Outcome, RankDecision
from .reading import Ladder, as_feed, feed_rows, last_ended_half_year


def _may_see(agent, user) -> bool:
    return user.has_role(Role.ASSESS | {Role.MANAGER}) or getattr(user, "agent_id",
                                                                  None) == agent.pk


@agent_panel(20)
def rank_panel(agent, user, today):
    if not _may_see(agent, user):
        return None
    decisions = list(RankDecision.objects.restrict(user).filter(agent=agent)
                     .select_related("by").order_by("-period"))
    period = last_ended_half_year(today)
    recommended = None
    if (agent.voided_at is None and agent.status == agent.Status.ACTIVE
            and not any(d.period == period for d in decisions)):
        row = feed_rows(period, [agent.pk], today).get(agent.pk)
        if row is not None:
            outcome = Ladder.read().recommend(as_feed(row), agent.rank)
            recommended = {"row": row, "outcome": outcome,
                           "label": Outcome(outcome[0]).label if outcome else ""}
    return {"template": "assessments/_agent_panel.html", "decisions": decisions,
            "period": period, "recommended": recommended}
