"""The demo's cases.csv: the `cases` import format, the cases people found (claim
investigations, complaints, audits) on real agents and policies, no date after `until`.
The rules' cases (receipts, documents, notices) come from the paper files (test_paper)."""

import csv
import datetime as dt
import re
from collections import Counter

import pytest

from pinzhi.demo.data import SIZES
from pinzhi.demo.generator import generate, year_start

UNTIL = dt.date(2026, 6, 30)  # H1 2026 is then a whole half-year of the demo's year
KINDS = {"claim_noncooperation", "terms_changed", "extra_fee_collected", "benefit_promised"}
ON_POLICY = {"terms_changed", "extra_fee_collected", "benefit_promised"}
# Made by the rules from the other demo files, never by hand: receipts, documents and
# notices (from the paper files), callback findings (drafted by the attempts' import) and
# false customer information (by the policies' import).
BY_RULES = {"receipt_not_returned", "documents_overdue", "notice_late", "notice_harm",
            "misleading_sales", "forged_signature", "investment_risk_concealed",
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


def test_the_sizes_cases_with_unique_numbers(small):
    cases = small["cases"]
    assert len(cases) == SIZES["small"].cases == 300
    numbers = [c["case_no"] for c in cases]
    assert len(set(numbers)) == len(numbers)
    assert all(re.match(r"^QD\d{4}\d{7}$", n) for n in numbers)


def test_a_realistic_mix(small):
    cases = small["cases"]
    kinds = Counter(c["violation_code"] for c in cases)
    assert set(kinds) == KINDS
    assert kinds["claim_noncooperation"] > 0.7 * len(cases)
    for code in ("benefit_promised", "extra_fee_collected"):  # rare: 20 points each
        assert 0 < kinds[code] <= 0.05 * len(cases)
    assert not set(kinds) & BY_RULES
    statuses = Counter(c["status"] for c in cases)
    assert set(statuses) == {"confirmed", "draft"}
    assert 0 < statuses["draft"] < 0.2 * len(cases)  # mostly confirmed, recent drafts
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
        if c["violation_code"] not in ON_POLICY:
            assert c["policy_no"] == "" and start <= occurred, c
            continue
        policy = policies[c["policy_no"]]  # done at the sale, maybe before the year began
        assert policy["agent_code"] == c["agent_code"], c
        assert policy["product_code"] in long_term and policy["status"] != "cooling_off_cancelled"
        assert occurred == day(policy["signed_on"]) and (found - occurred).days >= 20, c


def test_tiny_companies_and_an_explicit_count(tmp_path):
    result = generate(tmp_path / "a", size="small", seed=3, until=UNTIL, agents=40,
                      policies=400, cases=50)
    cases = read(result.path("cases"))
    assert len(cases) == result.counts["cases"] == 50
    result = generate(tmp_path / "b", size="small", seed=3, until=UNTIL, agents=40,
                      policies=0)
    cases = read(result.path("cases"))  # no policies: no policy-bound cases, still the count
    assert len(cases) == round(300 * 40 / 600)
    assert all(c["policy_no"] == "" for c in cases)
    assert read(result.path("receipts")) == read(result.path("notices")) == []
    assert read(result.path("valuable_documents"))  # documents need no policy
