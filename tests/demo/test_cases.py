"""The demo's cases.csv: the `cases` import format, a realistic mix of violations on real
agents and policies, no date after `until`, and every standing of rules §7.6 reached."""

import csv
import datetime as dt
import importlib
import re
from collections import Counter, defaultdict

import pytest

from pinzhi.demo.cases import add_months
from pinzhi.demo.data import SIZES
from pinzhi.demo.generator import generate, year_start
from pinzhi.quality.scoring import CaseFact, half_year_of, price_cases, standing

UNTIL = dt.date(2026, 6, 30)  # H1 2026 is then a whole half-year of the demo's year
CATALOGUE = {code: (tenths, tier_after, tier_tenths) for code, _, tenths, tier_after,
             tier_tenths, _, _ in importlib.import_module(
                 "pinzhi.quality.migrations.0002_seed_catalogue").CATALOGUE}
KINDS = {"receipt_not_returned", "documents_overdue", "notice_late", "claim_noncooperation",
         "benefit_promised"}
# Made by the rules from the other demo files, never by hand: callback findings (drafted
# by the attempts' import) and false customer information (by the policies' import).
BY_RULES = {"misleading_sales", "forged_signature", "investment_risk_concealed",
            "false_customer_info"}
HAN = re.compile(r"[\u4e00-\u9fff]")


def read(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def small(small_result):
    return {kind: read(small_result.path(kind)) for kind in ("agents", "products",
                                                              "policies", "cases")}


def day(text):
    return dt.date.fromisoformat(text)


def test_about_two_thousand_cases_with_unique_numbers(small):
    cases = small["cases"]
    assert len(cases) == SIZES["small"].cases == 2000
    numbers = [c["case_no"] for c in cases]
    assert len(set(numbers)) == len(numbers)
    assert all(re.match(r"^QD\d{4}\d{7}$", n) for n in numbers)


def test_a_realistic_mix(small):
    cases = small["cases"]
    kinds = Counter(c["violation_code"] for c in cases)
    assert set(kinds) == KINDS
    mechanical = kinds["receipt_not_returned"] + kinds["documents_overdue"] + kinds["notice_late"]
    assert mechanical > 0.8 * len(cases)
    assert 0 < kinds["benefit_promised"] <= 0.005 * len(cases)  # rare
    assert not set(kinds) & BY_RULES
    statuses = Counter(c["status"] for c in cases)
    assert set(statuses) == {"confirmed", "draft"}
    assert 0 < statuses["draft"] < 0.1 * len(cases)  # mostly confirmed, some drafts
    assert all(HAN.search(c["evidence"]) for c in cases)


def test_dates_agents_and_policies_are_real(small):
    agents = {a["agent_code"]: a for a in small["agents"]}
    long_term = {p["product_code"] for p in small["products"] if p["long_term"] == "true"}
    policies = {p["policy_no"]: p for p in small["policies"]}
    start = year_start(UNTIL)
    for c in small["cases"]:
        agent = agents[c["agent_code"]]
        occurred, found = day(c["occurred_on"]), day(c["found_on"])
        assert occurred <= found <= UNTIL, c
        assert day(agent["hired_on"]) <= occurred, c
        if agent["left_on"]:
            assert occurred <= day(agent["left_on"]), c
        if c["violation_code"] != "benefit_promised":  # promised at signing, maybe earlier
            assert start <= occurred, c
        if c["violation_code"] in ("documents_overdue", "notice_late", "claim_noncooperation"):
            assert c["policy_no"] == ""
            continue
        policy = policies[c["policy_no"]]
        assert policy["agent_code"] == c["agent_code"], c
        assert policy["product_code"] in long_term and policy["status"] != "cooling_off_cancelled"
        if c["violation_code"] == "receipt_not_returned":  # the day after the deadline
            deadline = add_months(day(policy["effective_on"]), 3)
            assert occurred == found == deadline + dt.timedelta(days=1), c
        else:
            assert c["violation_code"] == "benefit_promised"
            assert occurred == day(policy["signed_on"])


def test_one_policy_one_receipt_case(small):
    receipts = Counter(c["policy_no"] for c in small["cases"]
                       if c["violation_code"] == "receipt_not_returned")
    assert receipts and max(receipts.values()) == 1


def scores(cases, period):
    """Points per agent of the confirmed cases of a half-year, priced by the seed."""
    by_agent = defaultdict(list)
    for c in cases:
        occurred = day(c["occurred_on"])
        if c["status"] == "confirmed" and half_year_of(occurred) == period:
            tenths, tier_after, tier_tenths = CATALOGUE[c["violation_code"]]
            by_agent[c["agent_code"]].append(CaseFact(
                c["case_no"], 0, c["violation_code"], occurred, tenths, tier_after,
                tier_tenths, c["case_no"]))
    return {agent: price_cases(facts) for agent, facts in by_agent.items()}


def test_every_standing_is_reached_and_most_agents_are_good(small):
    priced = scores(small["cases"], "2026H1")
    standings = Counter(standing(sum(p.values()), max(p.values()))[0]
                        for p in priced.values())
    standings["good"] += len(small["agents"]) - len(priced)
    assert set(standings) == {"good", "warned", "restricted", "failed", "termination"}
    assert standings["good"] > 0.7 * len(small["agents"])


def test_some_agents_have_more_than_ten_overdue_documents_in_a_half_year(small):
    per_half = Counter((c["agent_code"], half_year_of(day(c["occurred_on"])))
                       for c in small["cases"] if c["violation_code"] == "documents_overdue")
    holders = {agent for agent, _ in per_half}
    assert 0 < sum(n > 10 for n in per_half.values()) < 0.05 * len(small["agents"])
    assert len(holders) < 0.4 * len(small["agents"])  # some agents, not all


def test_tiny_companies_and_an_explicit_count(tmp_path):
    result = generate(tmp_path / "a", size="small", seed=3, until=UNTIL, agents=40,
                      policies=400, cases=50)
    cases = read(result.path("cases"))
    assert len(cases) == result.counts["cases"] == 50
    result = generate(tmp_path / "b", size="small", seed=3, until=UNTIL, agents=40,
                      policies=0)
    cases = read(result.path("cases"))  # no policies: no policy-bound cases, still the count
    assert len(cases) == round(2000 * 40 / 600)
    assert all(c["policy_no"] == "" for c in cases)
