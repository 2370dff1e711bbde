"""What the pages and the API show of a settlement: a month's totals per agent, an
agent's statement, and the forecast before the cutoff (rules §6, §8.2).

Everything here reads: lines come from the ledger (closed months) or the drafts, and the
forecast from the one rule (`computing.month_lines`) for one agent, as of the coming
cutoff with the facts known now ("what will be withheld on the 20th if nothing
changes"). Rows a user may not see are left out by `restrict(user)`.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from pinzhi.callbacks import rules as callback_rules
from pinzhi.callbacks.models import CallbackStatus, ManualCallback
from pinzhi.org.models import Agent
from pinzhi.policies.models import Policy
from pinzhi.receipts import rules as receipt_rules

from . import computing, rules
from .models import DraftLine, LedgerLine, Settlement


@dataclass
class AgentMonth:
    agent: Agent
    totals: rules.Totals


def month_lines(month: dt.date, *, user=None, scope_path: str = "", agent_id=None):
    """The month's lines: the ledger's where it is closed, the draft's elsewhere."""
    settlements = Settlement.objects.filter(month=month)
    parts = [LedgerLine.objects.filter(settlement__in=settlements.filter(
                 status=Settlement.Status.CLOSED)),
             DraftLine.objects.filter(settlement__in=settlements.filter(
                 status=Settlement.Status.DRAFT))]
    out = []
    for lines in parts:
        if scope_path:
            lines = lines.filter(agent__team__path__startswith=scope_path)
        if agent_id is not None:
            lines = lines.filter(agent_id=agent_id)
        if user is not None:
            lines = lines.restrict(user)
        out.append(lines)
    return out


def per_agent(month: dt.date, *, user=None, scope_path: str = "") -> list[AgentMonth]:
    """Each agent's totals of the month, by agent code."""
    totals: dict[int, rules.Totals] = {}
    for lines in month_lines(month, user=user, scope_path=scope_path):
        grouped = (lines.order_by().values("agent_id", "action", "enters")
                   .annotate(amount=Sum("amount_fen")))
        for g in grouped:
            totals.setdefault(g["agent_id"], rules.Totals()).add(
                g["action"], int(g["amount"]), g["enters"])
    agents = Agent.objects.filter(pk__in=totals).select_related("team").order_by("code")
    return [AgentMonth(a, totals[a.pk]) for a in agents]


def month_totals(rows: list[AgentMonth]) -> rules.Totals:
    total = rules.Totals()
    for row in rows:
        for name in ("accrued", "paid", "deducted", "recovered", "adjusted", "forfeited",
                     "cancelled", "withheld"):
            setattr(total, name, getattr(total, name) + getattr(row.totals, name))
    return total


# -- an agent's statement --------------------------------------------------------------


@dataclass
class Hint:
    reason: str
    text: str


@dataclass
class PolicyItem:
    policy_no: str
    lines: list = field(default_factory=list)  # (action, amount fen, reasons, version)
    hints: list[Hint] = field(default_factory=list)

    @property
    def withheld(self) -> bool:
        return any(line[0] == rules.WITHHOLD for line in self.lines)


@dataclass
class Statement:
    agent: Agent
    month: dt.date
    kind: str  # closed, draft, forecast
    cutoff: dt.datetime
    totals: rules.Totals
    items: list[PolicyItem]

    @property
    def label(self) -> str:
        return rules.month_label(self.month)

    @property
    def withheld_items(self) -> list[PolicyItem]:
        return [i for i in self.items if i.withheld]


def coming_month(now: dt.datetime | None = None) -> dt.date:
    """The month whose cutoff comes next: this month before the 20th, else the next."""
    today = timezone.localdate(now)
    month = today.replace(day=1)
    return month if today < rules.cutoff_day(month) else rules.next_month(month)


def statement(agent: Agent, month: dt.date) -> Statement | None:
    """The agent's lines of a settled month (closed or draft), None if not settled."""
    settled = Settlement.objects.filter(month=month)
    if not settled.exists():
        return None
    items: dict[str, PolicyItem] = {}
    kinds = set()
    for lines in month_lines(month, agent_id=agent.pk):
        rows = (lines.order_by("policy__policy_no", "id")
                .values_list("policy__policy_no", "action", "amount_fen", "reasons",
                             "rule_version", "enters", "settlement__status"))
        for no, action, amount, reasons, version, enters, status in rows:
            kinds.add(status)
            item = items.setdefault(no or "", PolicyItem(no or ""))
            item.lines.append((action, amount, reasons, version, enters))
    if not items:
        return None
    return _statement(agent, month, "draft" if "draft" in kinds else "closed",
                      list(items.values()))


def forecast(agent: Agent, now: dt.datetime | None = None) -> Statement:
    """What the coming cutoff will do with the agent's policies if nothing changes."""
    month = coming_month(now)
    items: dict[int, PolicyItem] = {}
    for item in computing.month_lines(month=month, agent_id=agent.pk):
        line = item.line
        items.setdefault(item.policy_id, PolicyItem(item.policy_no)).lines.append(
            (line.action, line.amount_fen, ";".join(line.reasons), line.rule_version,
             line.enters))
    return _statement(agent, month, "forecast", list(items.values()))


def _statement(agent: Agent, month: dt.date, kind: str, items: list[PolicyItem]
               ) -> Statement:
    totals = rules.totals((a, amount, enters) for i in items
                          for a, amount, _r, _v, enters in i.lines)
    withheld = [i for i in items if i.withheld]
    if withheld:
        _add_hints(withheld)
    return Statement(agent, month, kind, rules.cutoff_at(month), totals, items)


def _add_hints(items: list[PolicyItem]) -> None:
    """What the agent can do to release each withheld policy (rules §6, §8.2): by the
    coming cutoff, whichever month's statement shows it (a past month's withheld
    policy is released by the next cutoff that finds it in order)."""
    policies = {p.policy_no: p for p in Policy.objects.filter(
        policy_no__in=[i.policy_no for i in items]).select_related("product")}
    ids = [p.pk for p in policies.values()]
    states = {s.policy_id: s for s in CallbackStatus.objects.filter(policy_id__in=ids)}
    manual = dict(ManualCallback.objects.filter(policy_id__in=ids)
                  .values_list("policy_id", "due_on"))
    cutoff = rules.cutoff_day(coming_month())
    for item in items:
        policy = policies.get(item.policy_no)
        reasons = next(r for a, _x, r, _v, _e in item.lines if a == rules.WITHHOLD)
        for reason in filter(None, reasons.split(";")):
            item.hints.append(Hint(reason, _hint(reason, policy, states.get(policy.pk)
                                                 if policy else None,
                                                 manual.get(policy.pk) if policy else None,
                                                 cutoff)))


def _hint(reason: str, policy, state, manual_due, cutoff: dt.date) -> str:
    last_day = (cutoff - dt.timedelta(days=1)).isoformat()
    if reason == rules.RECEIPT_MISSING:
        due = receipt_rules.deadline(policy.effective_on) if policy else None
        return _("Collect the receipt signed by the customer and have it registered by "
                 "%(day)s (its deadline is %(due)s; after it, 20 yuan is deducted).") % {
            "day": last_day, "due": due.isoformat() if due else "—"}
    if reason == rules.CALLBACK_PENDING:
        if state is not None and state.status == callback_rules.AGENT_WINDOW:
            return _("The callback could not reach the customer: confirm or correct the "
                     "customer's phone number in “My callbacks”, so that round 2 can "
                     "start at once.")
        return _("Tell the customer to expect the company's callback and to answer it "
                 "(09:00–21:00).")
    if reason == rules.CALLBACK_AWAITING_MANUAL:
        if manual_due is not None:
            return _("Wait for the manual callback (due %(due)s); help the branch reach "
                     "the customer.") % {"due": manual_due.isoformat()}
        return _("Wait for the manual callback; help the branch reach the customer.")
    if reason == rules.FINDING_OPEN:
        return _("The callback found a problem; the commission is held until the quality "
                 "officer decides the case.")
    return reason
