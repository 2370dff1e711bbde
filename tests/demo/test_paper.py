"""The demo's paper: receipts.csv, valuable_documents.csv and notices.csv follow the
import formats and the facts of the other files; replayed by the rules' own pure
functions as of the demo's moment, they give overdue and late receipts, overdue documents
(some agents more than 10 in a half-year), late notices, and with the cases people found
every standing of rules §7.6."""

import csv
import importlib
from collections import Counter, defaultdict

import pytest

from pinzhi.demo.data import MANAGER
from pinzhi.demo.generator import year_start
from pinzhi.documents import rules as documents
from pinzhi.notices import rules as notices
from pinzhi.quality.scoring import CaseFact, half_year_of, price_cases, standing
from pinzhi.receipts import rules as receipts

from .replay import UNTIL, day, notice_facts, receipt_facts, rule_cases

CATALOGUE = {code: (tenths, tier_after, tier_tenths) for code, _, tenths, tier_after,
             tier_tenths, _, _ in importlib.import_module(
                 "pinzhi.quality.migrations.0002_seed_catalogue").CATALOGUE}


def read(result, kind):
    with open(result.path(kind), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def small(small_result):
    return {kind: read(small_result, kind) for kind in (
        "agents", "products", "policies", "cases", "receipts", "valuable_documents",
        "notices")}


def test_receipts_only_for_policies_that_owe_one(small):
    policies = {p["policy_no"]: p for p in small["policies"]}
    long_term = {p["product_code"] for p in small["products"] if p["long_term"] == "true"}
    numbers = [r["policy_no"] for r in small["receipts"]]
    assert len(set(numbers)) == len(numbers)
    no_signed_on = 0
    for r in small["receipts"]:
        p = policies[r["policy_no"]]
        assert p["product_code"] in long_term and p["status"] != "cooling_off_cancelled"
        collected = day(r["collected_on"])
        assert day(p["printed_on"]) < collected < UNTIL, r
        if r["signed_on"]:
            assert day(p["printed_on"]) < day(r["signed_on"]) <= collected, r
        else:
            no_signed_on += 1
    assert 0 < no_signed_on < 0.1 * len(numbers)


def test_most_receipts_on_time_some_late_some_overdue(small):
    states = Counter(receipts.receipt_state(policy, receipt, UNTIL)
                     for _, policy, receipt in receipt_facts(small))
    owed = sum(states.values()) - states[receipts.NOT_OWED]
    assert states[receipts.COLLECTED_ON_TIME] > 0.85 * owed
    assert 0 < states[receipts.COLLECTED_LATE] < 0.05 * owed
    assert 0 < states[receipts.OVERDUE] < 0.03 * owed
    assert states[receipts.OUTSTANDING] > 0  # the last months' are still coming back


def test_documents_in_pads_of_real_agents(small):
    agents = {a["agent_code"]: a for a in small["agents"]}
    numbers = [d["doc_no"] for d in small["valuable_documents"]]
    assert len(set(numbers)) == len(numbers)
    start = year_start(UNTIL)
    for d in small["valuable_documents"]:
        agent, issued, due = agents[d["agent_code"]], day(d["issued_on"]), day(d["due_on"])
        assert max(start, day(agent["hired_on"])) <= issued < UNTIL, d
        if agent["left_on"]:
            assert issued < day(agent["left_on"]), d
        assert (due - issued).days in (60, 90) and d["doc_type"], d
        if d["returned_on"]:
            assert issued < day(d["returned_on"]) < UNTIL, d
    per_agent = Counter(d["agent_code"] for d in small["valuable_documents"])
    assert len(per_agent) > 0.8 * len(agents)


def test_overdue_documents_concentrate_on_a_few_agents(small):
    today = Counter(documents.state(documents.Document(d["doc_no"], day(d["due_on"]),
                                                       day(d["returned_on"])), UNTIL)
                    for d in small["valuable_documents"])
    assert today[documents.RETURNED] > 0.8 * len(small["valuable_documents"])
    assert today[documents.OVERDUE] > 0 and today[documents.OUT] > 0
    overdue = [c for c in rule_cases(small) if c[1] == documents.VIOLATION]
    per_half = Counter((agent, half_year_of(occurred)) for agent, _, occurred, _ in overdue)
    holders = {agent for agent, _ in per_half}
    assert 0 < sum(n > 10 for n in per_half.values()) < 0.05 * len(small["agents"])
    assert len(holders) < 0.3 * len(small["agents"])  # some agents, not all


def test_documents_still_out_with_agents_who_left(small):
    left = {a["agent_code"] for a in small["agents"] if a["status"] == "terminated"}
    out = [d for d in small["valuable_documents"]
           if d["agent_code"] in left and not d["returned_on"]]
    assert out and len({d["agent_code"] for d in out}) > 1


def test_notices_on_real_policies_with_coherent_dates(small):
    policies = {p["policy_no"]: p for p in small["policies"]}
    agents = {a["agent_code"]: a for a in small["agents"]}
    managers = {a["unit_code"]: a["agent_code"] for a in small["agents"] if a["rank"] == MANAGER}
    numbers = [n["notice_no"] for n in small["notices"]]
    assert len(set(numbers)) == len(numbers)
    assert 0.01 < len(numbers) / len(policies) < 0.05
    assert {n["kind"] for n in small["notices"]} == {"notice", "problem_letter", "endorsement"}
    handed_over = 0
    for n in small["notices"]:
        p = policies[n["policy_no"]]
        assert p["status"] != "cooling_off_cancelled"
        seller = agents[p["agent_code"]]
        issued, due = day(n["issued_on"]), day(n["due_on"])
        if n["agent_code"] != seller["agent_code"]:  # he left: his manager services it
            assert seller["left_on"] and issued >= day(seller["left_on"]), n
            assert n["agent_code"] == managers[seller["unit_code"]], n
            handed_over += 1
        assert day(p["effective_on"]) <= issued < UNTIL and issued < due, n
        delivered, reported = day(n["delivered_on"]), day(n["reported_on"])
        if delivered:
            assert issued <= delivered < UNTIL, n
        if reported:
            assert delivered and delivered <= reported < UNTIL, n
        if n["report_false"] == "true":
            assert reported, n
    states = Counter(notices.notice_state(notice_facts(n), UNTIL) for n in small["notices"])
    assert states[notices.REPORTED] > 0.8 * len(numbers)
    assert states[notices.LATE] > 0 and states[notices.REPORTED_FALSE] > 0


def test_the_rules_give_every_kind_of_case(small):
    kinds = Counter(code for _, code, _, _ in rule_cases(small))
    assert kinds[receipts.VIOLATION] > 100
    assert kinds[documents.VIOLATION] > 100
    assert kinds[notices.NOTICE_LATE] > 5
    late = [r for _, policy, r in receipt_facts(small)
            if r and receipts.receipt_state(policy, r, UNTIL) == receipts.COLLECTED_LATE]
    assert late  # a receipt collected late still had its case


def scores(small, period):
    """Points per agent of the half-year: the people's confirmed cases and the rules'."""
    by_agent = defaultdict(list)
    found = [(c["agent_code"], c["violation_code"], day(c["occurred_on"]), c["case_no"])
             for c in small["cases"] if c["status"] == "confirmed"]
    for n, (agent, code, occurred, key) in enumerate(found + rule_cases(small)):
        if half_year_of(occurred) == period:
            tenths, tier_after, tier_tenths = CATALOGUE[code]
            by_agent[agent].append(CaseFact(str(n), 0, code, occurred, tenths, tier_after,
                                            tier_tenths, key))
    return {agent: price_cases(facts) for agent, facts in by_agent.items()}


def test_every_standing_is_reached_and_most_agents_are_good(small):
    priced = scores(small, "2026H1")
    standings = Counter(standing(sum(p.values()), max(p.values()))[0]
                        for p in priced.values())
    standings["good"] += len(small["agents"]) - len(priced)
    assert set(standings) == {"good", "warned", "restricted", "failed", "termination"}
    assert standings["good"] > 0.8 * len(small["agents"])
