"""The demo company's departures (issue 8), so that their pages have something to show:
four agents of the demo clerk's sub-branch whom the agents feed marked terminated get
their departure recorded, their policies taken over by their team's manager, at different
ages: one fresh (left ten days ago, a few policyholders told), one done (everyone told,
every document back in time), one overdue (half told, documents still out), one between.

Only the service functions write (documents through pinzhi.documents.services), so the
demo is checked like anyone's; a database with departures already is left as it is.
"""

import datetime as dt
import random

from django.utils import timezone

from pinzhi.accounts.models import User
from pinzhi.demo import data
from pinzhi.departures import services
from pinzhi.departures.models import Departure
from pinzhi.departures.tasks import documents_held, to_notify
from pinzhi.documents.services import DocumentRefused, document_return
from pinzhi.org.models import Agent

# (stage, days ago he left when the feed's day is older than a month: None keeps it)
STAGES = (("fresh", 10), ("done", None), ("overdue", None), ("partial", None))
REASONS = ("resigned", "contract_ended", "resigned", "other")


def seed(today: dt.date) -> str:
    if Departure.objects.exists():
        return "departures: the database has some already: none added"
    users = User.objects.in_bulk(["demo_sales", "demo_clerk"], field_name="username")
    sales, clerk = users.get("demo_sales"), users.get("demo_clerk")
    if sales is None or clerk is None:
        return "departures: no demo users: none added"
    today = min(today, timezone.localdate())  # the services refuse days in the future
    rng = random.Random("demo-departures-1")
    leavers = (Agent.objects.restrict(clerk).live()
               .filter(status=Agent.Status.TERMINATED, departure__isnull=True,
                       left_on__isnull=False, left_on__lte=today)
               .select_related("team").order_by("-left_on", "code"))
    recorded = []
    for agent in leavers[:40]:
        if len(recorded) == len(STAGES):
            break
        manager = _manager(agent.team)
        if manager is None:
            continue
        stage, days_ago = STAGES[len(recorded)]
        left_on = agent.left_on
        if days_ago is not None and (today - left_on).days > 25:
            left_on = today - dt.timedelta(days=days_ago)  # the departure's day wins
        departure = services.agent_depart(
            agent=agent, left_on=left_on, reason=REASONS[len(recorded)],
            servicing_agent=manager, note="离司交接：保单由团队主管接续服务", by=sales)
        _work(departure, stage, today, rng, sales, clerk)
        recorded.append(stage)
    if not recorded:
        return "departures: no terminated agent with a team manager: none added"
    return f"departures: {len(recorded)} recorded ({', '.join(recorded)})"


def _manager(team):
    return (Agent.objects.live().filter(team=team, status=Agent.Status.ACTIVE,
                                        rank=data.MANAGER).order_by("code").first())


def _day(departure, days: int, today: dt.date) -> dt.date:
    return min(departure.left_on + dt.timedelta(days=days), today)


def _work(departure, stage: str, today: dt.date, rng, sales, clerk) -> None:
    """Tell some (or all) policyholders; for a done one, take every document back."""
    policies = list(to_notify(departure).order_by("policy_no"))
    share = {"fresh": 0.3, "done": 1.0, "overdue": 0.5, "partial": 0.7}[stage]
    chosen = sorted(rng.sample(policies, int(len(policies) * share)),
                    key=lambda p: p.policy_no)
    if stage == "done" and policies:
        services.policyholders_told(departure=departure, told_on=_day(departure, 5, today),
                                    how="letter", by=sales)
    elif chosen:
        services.policyholders_told(departure=departure, policies=chosen,
                                    told_on=_day(departure, 3, today),
                                    how=rng.choice(("phone", "sms", "visit")), by=sales)
    if stage != "done":
        return
    for doc in documents_held(departure).filter(returned_on__isnull=True):
        try:
            document_return(document=doc, returned_on=max(_day(departure, 10, today),
                                                          doc.issued_on), by=clerk)
        except DocumentRefused:
            continue  # out of the clerk's scope: left for the pages to show
