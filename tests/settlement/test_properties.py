"""Properties of the settlement over random companies and months (Hypothesis).

Pure: month after month, whatever the facts, every fen that entered is paid, forfeited,
cancelled or still withheld; deductions never exceed the commission; a policy resolves
once; a recovery takes back exactly what was paid net.

Through the database: the streamed pipeline gives, line for line, what the pure rule
gives for the same facts; computing a draft again gives identical lines; a closed month's
ledger lines never change when later months are computed and closed; and over all
months, the export's per-agent totals reconcile to the fen.
"""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pinzhi.callbacks import rules as cb
from pinzhi.settlement import rules

MONTHS = [dt.date(2026, m, 1) for m in range(2, 9)]
DAYS = st.dates(dt.date(2026, 1, 1), dt.date(2026, 8, 31))
STATUSES = st.sampled_from(cb.STATUSES)


@st.composite
def policies(draw):
    printed = draw(st.dates(dt.date(2026, 1, 1), dt.date(2026, 7, 31)))
    return rules.PolicyFacts(
        commission_fen=draw(st.integers(0, 500_000)),
        printed_on=printed,
        effective_on=printed - dt.timedelta(days=draw(st.integers(0, 5))),
        long_term=draw(st.booleans()),
        cancelled_on=draw(st.none() | st.dates(printed, printed + dt.timedelta(days=60))),
        receipt_collected_on=draw(st.none() | st.dates(printed,
                                                       printed + dt.timedelta(days=150))),
    )


@st.composite
def callbacks(draw):
    """A callback facts per month (any sequence: the identities hold whatever it is)."""
    return [rules.CallbackFacts(draw(STATUSES), draw(st.booleans()), draw(st.booleans()),
                                draw(st.none() | DAYS)) for _ in MONTHS]


def simulate(policy, months_callbacks):
    """Every month's lines of one policy, the history carried as the ledger would."""
    history, out = rules.NEW, []
    for month, callback in zip(MONTHS, months_callbacks, strict=True):
        lines = rules.settle_policy(policy, callback, history, month)
        out.append(lines)
        history = carry(history, lines)
    return out


def carry(history: rules.History, lines) -> rules.History:
    entered, resolved = history.entered, history.resolved
    net, recovered = history.net_paid_fen, history.recovered
    for line in lines:
        if line.action in rules.MAIN:
            entered = True
        if line.action in rules.RESOLVING:
            resolved = line.action
        if line.action == rules.PAY:
            net += line.amount_fen
        elif line.action == rules.DEDUCT:
            net -= line.amount_fen
        elif line.action == rules.RECOVER:
            recovered = True
    return rules.History(entered, resolved, net, recovered)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(policies(), callbacks()), min_size=1, max_size=8))
def test_every_fen_is_accounted_for_month_after_month(company):
    per_month = [rules.Totals() for _ in MONTHS]
    for policy, months_callbacks in company:
        lines_by_month = simulate(policy, months_callbacks)
        resolving = [ln for lines in lines_by_month for ln in lines
                     if ln.action in rules.RESOLVING]
        assert len(resolving) <= 1
        paid = sum(ln.amount_fen for lines in lines_by_month for ln in lines
                   if ln.action == rules.PAY)
        deducted = sum(ln.amount_fen for lines in lines_by_month for ln in lines
                       if ln.action == rules.DEDUCT)
        recovered = [ln.amount_fen for lines in lines_by_month for ln in lines
                     if ln.action == rules.RECOVER]
        assert 0 <= deducted <= paid <= policy.commission_fen
        assert recovered in ([], [paid - deducted])
        for totals, lines in zip(per_month, lines_by_month, strict=True):
            for ln in lines:
                assert ln.amount_fen >= 0
                totals.add(ln.action, ln.amount_fen, ln.enters)
    entered = sum(t.accrued for t in per_month)
    resolved = sum(t.paid + t.forfeited + t.cancelled for t in per_month)
    assert entered == resolved + per_month[-1].withheld


@settings(max_examples=300, deadline=None)
@given(policies(), callbacks())
def test_a_policy_is_withheld_with_a_reason_until_resolved(policy, months_callbacks):
    for lines in simulate(policy, months_callbacks):
        for ln in lines:
            if ln.action == rules.WITHHOLD:
                assert ln.reasons, "a withheld policy always says why"
                assert set(ln.reasons) <= set(rules.WITHHOLD_REASONS)


# -- through the database -------------------------------------------------------------

SH = rules.SHANGHAI
OUTCOMES = st.sampled_from(["success", "no_answer", "busy", "empty_number",
                            "refused_self", "special_no_callback"])


@st.composite
def db_policy(draw):
    printed = draw(st.dates(dt.date(2026, 1, 1), dt.date(2026, 4, 25)))
    attempts = []
    start = dt.datetime.combine(printed + dt.timedelta(days=10), dt.time(9), tzinfo=SH)
    at = start
    for _ in range(draw(st.integers(0, 4))):
        at += dt.timedelta(hours=draw(st.integers(7, 24 * 12)))
        attempts.append(("1" if len(attempts) < 2 else "2", at, draw(OUTCOMES)))
    manual = draw(st.none() | st.tuples(st.integers(20, 70), st.sampled_from(
        ["success", "no_answer"]), st.booleans()))
    return dict(
        printed=printed, commission=draw(st.integers(1, 200_000)),
        product=draw(st.sampled_from(["TRAD10", "TRAD10", "ACC1"])),
        collected=draw(st.none() | st.integers(0, 140)),
        cancelled=draw(st.none() | st.integers(1, 40)),
        attempts=attempts, manual=manual, agent=draw(st.sampled_from(["A001", "A003",
                                                                      "A004"])))


def build(company, specs):
    from pinzhi.callbacks.models import CallbackAttempt
    from pinzhi.receipts.models import Receipt
    from tests.factories import make_policy

    for n, spec in enumerate(specs):
        printed = spec["printed"]
        policy = make_policy(
            f"H{n}", company.agents[spec["agent"]], company.products[spec["product"]],
            applicant_phone=f"1390000{n:04d}", commission_fen=spec["commission"],
            signed_on=printed - dt.timedelta(days=2), printed_on=printed,
            effective_on=printed - dt.timedelta(days=1),
            status="cooling_off_cancelled" if spec["cancelled"] else "in_force",
            status_on=printed + dt.timedelta(days=spec["cancelled"])
            if spec["cancelled"] else None)
        if spec["collected"] is not None and spec["product"] == "TRAD10":
            Receipt.objects.create(policy=policy, collected_on=printed + dt.timedelta(
                days=spec["collected"]))
        for round_, at, outcome in spec["attempts"]:
            CallbackAttempt.objects.get_or_create(policy=policy, round=round_,
                                                  attempted_at=at,
                                                  defaults={"outcome": outcome})
        if spec["manual"] is not None:
            days, outcome, changed = spec["manual"]
            at = dt.datetime.combine(printed + dt.timedelta(days=days), dt.time(15),
                                     tzinfo=SH)
            CallbackAttempt.objects.create(policy=policy, round="manual", attempted_at=at,
                                           outcome=outcome, phone_changed=changed,
                                           method="call")


def expected_lines(month, histories):
    """The pure rule applied to each live policy's facts, straight from the models."""
    from pinzhi.callbacks.evaluation import states
    from pinzhi.policies.models import Policy

    cutoff = rules.cutoff_at(month)
    by_id = {e.facts.id: e for e in states(as_of=cutoff)}
    out = []
    for policy in Policy.objects.filter(voided_at__isnull=True).select_related(
            "product").order_by("id"):
        receipt = getattr(policy, "receipt", None)
        facts = rules.PolicyFacts(
            policy.commission_fen, policy.printed_on, policy.effective_on,
            policy.product.long_term,
            policy.status_on if policy.status == "cooling_off_cancelled" else None,
            receipt.collected_on if receipt else None)
        e = by_id[policy.pk]
        callback = rules.callback_facts(e.state, e.row[12])
        history = histories.get(policy.pk, rules.NEW)
        lines = rules.settle_policy(facts, callback, history, month)
        histories[policy.pk] = carry(history, lines)
        out += [(policy.policy_no, ln.action, ln.amount_fen, ";".join(ln.reasons))
                for ln in lines]
    return sorted(out)


def stored_lines(model, settlement):
    return sorted(model.objects.filter(settlement=settlement).values_list(
        "policy__policy_no", "action", "amount_fen", "reasons"))


@pytest.mark.django_db
@settings(max_examples=16, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(st.lists(db_policy(), min_size=1, max_size=10), st.booleans())
def test_the_stored_months_are_the_rule_reproducible_and_final(bare_company, specs,
                                                                reuse_stored):
    import time_machine
    from django.db import transaction

    from pinzhi.callbacks.evaluation import evaluate
    from pinzhi.settlement.models import DraftLine, LedgerLine
    from pinzhi.settlement.services import settlement_close, settlement_compute

    sales, admin = bare_company.users.sales, bare_company.users.admin
    # After the company was built (its agents' times): a run the settlement may build on.
    with time_machine.travel(dt.datetime(2027, 1, 4, 9, tzinfo=SH)), transaction.atomic():
        build(bare_company, specs)
        if reuse_stored:  # the stored states of callbacks that ended stand in for them
            evaluate(as_of=dt.datetime(2026, 12, 1, tzinfo=SH))
        histories, ledger_before, months = {}, [], MONTHS[:5]
        totals = []
        for month in months:
            first = settlement_compute(month=month, unit=bare_company.units["GD"], by=sales)
            lines = stored_lines(DraftLine, first.settlement)
            again = settlement_compute(month=month, unit=bare_company.units["GD"], by=sales)
            assert stored_lines(DraftLine, again.settlement) == lines  # same data, same draft
            assert [(n, a, f, r) for n, a, f, r in lines] == expected_lines(month, histories)
            closed = settlement_close(settlement=again.settlement, by=admin)
            totals.append(closed.totals)
            snapshot = list(LedgerLine.objects.order_by("id").values_list(
                "id", "month", "policy_id", "action", "amount_fen", "reasons"))
            assert snapshot[:len(ledger_before)] == ledger_before  # closed months stay
            ledger_before = snapshot
        entered = sum(t["accrued"] for t in totals)
        resolved = sum(t["paid"] + t["forfeited"] + t["cancelled"] for t in totals)
        assert entered == resolved + totals[-1]["withheld"]
        transaction.set_rollback(True)


@pytest.fixture
def bare_company(bare):
    return bare
