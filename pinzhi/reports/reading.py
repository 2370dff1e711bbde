"""The facts of the indicators, streamed from the database for a period, and the tallies
of every unit (or agent) built from them by the pure rules (indicators.add_policy).

One streamed query brings the policies a period can concern (printed in it, receipt
deadline in it, or effective in the persistency cohort) with their callback (the stored
state: a success is final, so it holds for any moment up to the last evaluation), their
receipt and approved exemption; a second brings the 12-month renewals of the cohort; a
third the satisfaction answers. Each policy's part goes to the team its agent was in on
the printed date (org.history: derived from the agents feed's recorded moves), its
callback's answer too; the agent's own figures (himself, his cases,
his settlements) to his team on the period's last day. A unit's tally is the sum of its
subtree's teams.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterator

from django.db import connection

from pinzhi.callbacks.models import CallbackAttempt, CallbackRequest, CallbackStatus
from pinzhi.callbacks.reading import _days, _stream, _us, day, moment
from pinzhi.core.calendar import local_day
from pinzhi.org.history import TeamHistory
from pinzhi.org.models import Agent, Unit
from pinzhi.policies.models import (
    PaymentMode,
    Policy,
    Product,
    cooling_off_cancelled_on,
)
from pinzhi.receipts import rules as receipt_rules
from pinzhi.receipts.models import Receipt

from . import indicators as ind
from .models import Renewal


def _t(model) -> str:
    return model._meta.db_table


def _bounds(period: ind.Period) -> list:
    """The effective dates whose receipt deadline falls in the period, and the cohort's."""
    receipts_from = receipt_rules.effective_bound(period.first)
    receipts_until = receipt_rules.effective_bound(period.last + dt.timedelta(days=1))
    cohort = ind.cohort(period)
    adapt = connection.ops.adapt_datefield_value
    return [adapt(period.first), adapt(period.last), adapt(receipts_from),
            adapt(receipts_until), adapt(cohort.first), adapt(cohort.last)]


WHERE = ("p.voided_at IS NULL AND ((p.printed_on >= %s AND p.printed_on <= %s) OR "
         "(p.effective_on >= %s AND p.effective_on < %s) OR "
         "(p.effective_on >= %s AND p.effective_on <= %s))")


def policy_rows(period: ind.Period, agent_id: int | None = None) -> Iterator[tuple]:
    """(id, agent_id, team path, printed, effective, long_term, payment mode, premium,
    commission, status, status_on, updated µs, exempted, success µs, round 1 failed µs,
    manual opened µs, cooling-off end µs, collected) by policy id."""
    return _stream(
        f"SELECT p.id, p.agent_id, u.path, {_days('p.printed_on')}, {_days('p.effective_on')}, "
        f"pr.long_term, p.payment_mode, p.premium_fen, p.commission_fen, p.status, "
        f"{_days('p.status_on')}, {_us('p.updated_at')}, {_days('x.approved_on')}, "
        f"{_us('c.success_at')}, {_us('c.round_1_failed_at')}, {_us('c.manual_opened_at')}, "
        f"{_us('c.deadline_at')}, {_days('r.collected_on')} "
        f"FROM {_t(Policy)} p JOIN {_t(Product)} pr ON pr.id = p.product_id "
        f"JOIN {_t(Agent)} a ON a.id = p.agent_id JOIN {_t(Unit)} u ON u.id = a.team_id "
        f"LEFT JOIN {_t(CallbackStatus)} c ON c.policy_id = p.id "
        f"LEFT JOIN {_t(Receipt)} r ON r.policy_id = p.id AND r.voided_at IS NULL "
        f"LEFT JOIN {_t(CallbackRequest)} x ON x.policy_id = p.id AND x.kind = 'exemption' "
        f"AND x.voided_at IS NULL AND x.approved_on IS NOT NULL "
        f"WHERE {WHERE}{_agent('p', agent_id)} ORDER BY p.id",
        _bounds(period) + _agent_param(agent_id))


def renewal_rows(period: ind.Period, agent_id: int | None = None) -> Iterator[tuple]:
    """(policy id, due days, paid days) of the live renewals of the cohort's policies."""
    return _stream(
        f"SELECT n.policy_id, {_days('n.due_on')}, {_days('n.paid_on')} "
        f"FROM {_t(Renewal)} n JOIN {_t(Policy)} p ON p.id = n.policy_id "
        f"WHERE n.voided_at IS NULL AND p.voided_at IS NULL AND p.effective_on >= %s "
        f"AND p.effective_on <= %s{_agent('p', agent_id)} ORDER BY n.policy_id, n.due_on",
        _bounds(period)[4:] + _agent_param(agent_id))


def facts_of(row: tuple, renewal_paid_on: dt.date | None) -> ind.PolicyFacts:
    (_id, _agent, _path, printed, effective, long_term, mode, premium, commission, status,
     status_on, updated, exempted, success, r1_failed, manual, cooling_end, collected) = row
    cancelled_on = cooling_off_cancelled_on(status, day(status_on), moment(updated))
    # The stored state keeps when rounds failed: a success with round 1 never failed and
    # no manual callback opened was round 1's (rules §4.1).
    success_round = None
    if success is not None:
        success_round = "manual" if manual is not None else ("1" if r1_failed is None else "2")
    return ind.PolicyFacts(
        day(printed), day(effective), bool(long_term), mode != PaymentMode.SINGLE, premium,
        commission, cancelled_on, day(exempted), success_round, moment(success),
        moment(cooling_end), day(collected), renewal_paid_on)


def twelve_month_renewals(period: ind.Period, agent_id: int | None = None
                          ) -> Iterator[tuple[int, dict]]:
    """(policy id, {due day: paid day}) of the cohort's renewals, by policy id."""
    current, dues = None, {}
    for policy_id, due, paid in renewal_rows(period, agent_id):
        if policy_id != current:
            if current is not None:
                yield current, dues
            current, dues = policy_id, {}
        dues[day(due)] = day(paid)
    if current is not None:
        yield current, dues


def policy_facts(period: ind.Period, agent_id: int | None = None
                 ) -> Iterator[tuple[tuple, ind.PolicyFacts]]:
    """(row, facts) of every policy the period can concern, by policy id: `policy_rows`
    merged with the renewal due 12 months after each one's effect."""
    renewals = twelve_month_renewals(period, agent_id)
    head = next(renewals, None)
    for row in policy_rows(period, agent_id):
        while head is not None and head[0] < row[0]:
            head = next(renewals, None)
        paid_on = None
        if head is not None and head[0] == row[0]:
            paid_on = head[1].get(receipt_rules.add_months(day(row[4]), 12))
        yield row, facts_of(row, paid_on)


def tallies(period: ind.Period, as_of: dt.datetime, *, by: str = "team",
            agent_id: int | None = None) -> dict[object, ind.Tally]:
    """Every team's (or, `by="agent"`, every agent's) tally of the period as of `as_of`;
    `agent_id`: one agent's only (his home page)."""
    result: dict[object, ind.Tally] = defaultdict(ind.Tally)
    history = TeamHistory()
    for row, facts in policy_facts(period, agent_id):
        key = history.path_on(row[1], row[2], facts.printed_on) if by == "team" else row[1]
        ind.add_policy(result[key], facts, period, as_of)
    for pk, path, printed, satisfaction, _at in answers(period, as_of, agent_id=agent_id):
        key = history.path_on(pk, path, day(printed)) if by == "team" else pk
        ind.add_answer(result[key], satisfaction)

    def dated(pk: int | None, path: str, on: dt.date):
        return history.path_on(pk, path, on) if by == "team" else pk

    add_dated_figures(result, period, as_of, dated, agent_id=agent_id)
    teams = agent_teams(agent_id)
    last_cutoffs = ind.cutoff_days(period)[-1:]

    def key(pk: int, _month: dt.date):
        return history.path_on(pk, teams.get(pk), period.last) if by == "team" else pk

    add_agent_figures(result, period, as_of, key, agent_id=agent_id,
                      counted_on={period.last.replace(day=1): period.last},
                      withheld_in={c.replace(day=1) for c in last_cutoffs})
    return result


def _agent(alias: str, agent_id: int | None) -> str:
    return "" if agent_id is None else f" AND {alias}.agent_id = %s"


def _agent_param(agent_id: int | None) -> list:
    return [] if agent_id is None else [agent_id]


def answers(period: ind.Period, as_of: dt.datetime, *,
            agent_id: int | None = None) -> Iterator[tuple]:
    """(agent id, his team's path now, the policy's printed days, satisfaction, attempted
    µs) of the successful callbacks made in the period (local days) and before the
    moment."""
    start = dt.datetime.combine(period.first, dt.time(0), tzinfo=ind.SHANGHAI)
    end = min(dt.datetime.combine(period.last + dt.timedelta(days=1), dt.time(0),
                                  tzinfo=ind.SHANGHAI), as_of)
    adapt = connection.ops.adapt_datetimefield_value
    return _stream(
        f"SELECT p.agent_id, u.path, {_days('p.printed_on')}, t.satisfaction, "
        f"{_us('t.attempted_at')} "
        f"FROM {_t(CallbackAttempt)} t "
        f"JOIN {_t(Policy)} p ON p.id = t.policy_id JOIN {_t(Agent)} a ON a.id = p.agent_id "
        f"JOIN {_t(Unit)} u ON u.id = a.team_id WHERE t.voided_at IS NULL "
        f"AND p.voided_at IS NULL AND t.outcome = 'success' AND t.satisfaction IS NOT NULL "
        f"AND t.attempted_at >= %s AND t.attempted_at < %s{_agent('p', agent_id)}",
        [adapt(start), adapt(end), *_agent_param(agent_id)])


def complaint_rows(period: ind.Period, agent_id: int | None = None) -> Iterator[tuple]:
    """(agent id, his team's path now, received days) of the live customer complaints
    received in the period."""
    from pinzhi.complaints.models import Complaint

    adapt = connection.ops.adapt_datefield_value
    return _stream(
        f"SELECT c.agent_id, u.path, {_days('c.received_on')} FROM {_t(Complaint)} c "
        f"JOIN {_t(Agent)} a ON a.id = c.agent_id JOIN {_t(Unit)} u ON u.id = a.team_id "
        f"WHERE c.voided_at IS NULL AND c.received_on >= %s AND c.received_on <= %s"
        f"{_agent('c', agent_id)}",
        [adapt(period.first), adapt(period.last), *_agent_param(agent_id)])


def add_dated_figures(result: dict, period: ind.Period, as_of: dt.datetime,
                      key: Callable[[int | None, str, dt.date], object], *,
                      agent_id: int | None = None) -> None:
    """The figures dated by a day of their own (issue 8): complaints by the day received,
    training hours by the day held, remedial trainings and inspection findings by their
    due day, in their state as of the moment. Each goes to `key(agent id, his team's path
    now, day)`; a finding that names no agent to (None, its unit's path, day)."""
    from pinzhi.inspections.reading import finding_facts
    from pinzhi.training.reading import attendance_facts, remedial_facts

    today = local_day(as_of)
    for pk, path, received in complaint_rows(period, agent_id):
        received = day(received)
        result[key(pk, path, received)].complaints += 1
    for pk, path, held_on, tenths in attendance_facts(period.first, period.last, agent_id):
        result[key(pk, path, held_on)].training_hours_tenths += tenths
    for pk, path, due_on, state in remedial_facts(period.first, period.last, today, agent_id):
        ind.add_remedial(result[key(pk, path, due_on)], state)
    for pk, path, due_on, state in finding_facts(period.first, period.last, today, agent_id):
        ind.add_finding(result[key(pk, path, due_on)], state)


def unit_tally(unit_path: str, team_tallies: dict[str, ind.Tally]) -> ind.Tally:
    """A unit's figures: the sum of its subtree's teams."""
    total = ind.Tally()
    for path, team in team_tallies.items():
        if path.startswith(unit_path):
            total = total + team
    return total


# -- what belongs to agents: themselves, their cases, their settlements ----------------


def agent_teams(agent_id: int | None = None) -> dict[int, str]:
    """{agent id: his team's path now} of the live agents (or one)."""
    agents = Agent.objects.live()
    if agent_id is not None:
        agents = agents.filter(pk=agent_id)
    return dict(agents.values_list("id", "team__path"))


def add_agent_figures(result: dict, period: ind.Period, as_of: dt.datetime,
                      key: Callable[[int, dt.date], object], *, agent_id: int | None,
                      counted_on: dict[dt.date, dt.date], withheld_in: set[dt.date]) -> None:
    """The agents' own parts of the period: `agents` (active on each day of `counted_on`,
    {month: day}), counting cases and their points by the month they occurred, and from
    the ledger deducted and forfeited by month, withheld only of the months in
    `withheld_in` (a period's: its last cutoff). Each goes to `key(agent id, month)`."""
    agents = Agent.objects.live()
    if agent_id is not None:
        agents = agents.filter(pk=agent_id)
    for pk, hired_on, left_on in agents.values_list("id", "hired_on", "left_on").iterator(
            chunk_size=20000):
        for month, day_ in counted_on.items():
            if ind.agent_active_on(hired_on, left_on, day_):
                result[key(pk, month)].agents += 1
    for pk, month, cases, tenths in case_points_by_month(period, as_of, agent_id):
        tally = result[key(pk, month)]
        tally.cases, tally.points_tenths = tally.cases + cases, tally.points_tenths + tenths
    for pk, month, withheld, deducted, forfeited in settlement_figures_by_month(period,
                                                                              agent_id):
        tally = result[key(pk, month)]
        tally.withheld_fen += withheld if month in withheld_in else 0
        tally.deducted_fen += deducted
        tally.forfeited_fen += forfeited


def case_points_by_month(period: ind.Period, as_of: dt.datetime,
                         agent_id: int | None = None) -> Iterator[tuple[int, dt.date, int, int]]:
    """(agent id, month, counting cases occurring in that month of the period, their
    points in tenths). A tiered case is priced in its half-year, by the cases of that
    half-year before it; the scoring mode is the one in force on the period's last day."""
    from itertools import groupby

    from pinzhi.quality.models import Case
    from pinzhi.quality.scores import RulesByTeam, case_facts
    from pinzhi.quality.scoring import counts_at, half_year_bounds, half_year_of, price_cases

    start = half_year_bounds(half_year_of(period.first))[0]
    cases = Case.objects.filter(occurred_on__gte=start, occurred_on__lte=period.last)
    agents = Agent.objects.select_related("team")
    if agent_id is not None:
        cases, agents = cases.filter(agent_id=agent_id), agents.filter(pk=agent_id)
    teams = {a.pk: a.team for a in agents}
    rules = RulesByTeam(period.last)
    for agent_id, facts in groupby(case_facts(cases), key=lambda c: c.agent_id):
        counting = [c for c in facts if counts_at(c, as_of)]
        mode = rules.for_team(teams[agent_id])[1]
        months: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
        for _half, group in groupby(sorted(counting, key=lambda c: c.occurred_on),
                                    key=lambda c: half_year_of(c.occurred_on)):
            group = list(group)
            prices = price_cases(group, mode)
            for case in group:
                if period.holds(case.occurred_on):
                    month = months[case.occurred_on.replace(day=1)]
                    month[0], month[1] = month[0] + 1, month[1] + prices[case.case_no]
        for month, (n, tenths) in sorted(months.items()):
            yield agent_id, month, n, tenths


def settlement_figures_by_month(period: ind.Period, agent_id: int | None = None
                                ) -> Iterator[tuple[int, dt.date, int, int, int]]:
    """(agent id, month, withheld at its cutoff, deducted, forfeited) of the closed
    months whose cutoff (the 20th) falls in the period."""
    from django.db.models import Sum

    from pinzhi.settlement.models import LedgerLine

    months = [day.replace(day=1) for day in ind.cutoff_days(period)]
    if not months:
        return
    lines = LedgerLine.objects.filter(month__in=months)
    if agent_id is not None:
        lines = lines.filter(agent_id=agent_id)
    rows = (lines.filter(
        action__in=("withhold", "deduct", "forfeit")).order_by()
        .values("agent_id", "action", "month").annotate(amount=Sum("amount_fen")))
    figures: dict[tuple[int, dt.date], list[int]] = defaultdict(lambda: [0, 0, 0])
    for row in rows:
        column = ("withhold", "deduct", "forfeit").index(row["action"])
        figures[row["agent_id"], row["month"]][column] += int(row["amount"])
    for (pk, month), (withheld, deducted, forfeited) in figures.items():
        yield pk, month, withheld, deducted, forfeited
