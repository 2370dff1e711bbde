"""The demo's call centre: callback_attempts.csv, contact_updates.csv and
callback_requests.csv follow the rules (rules §4), replayed here by the pure rule itself."""

import csv
import datetime as dt
import random
from collections import Counter, defaultdict

import pytest

from pinzhi.callbacks import rules
from pinzhi.demo import callbacks as sim
from pinzhi.demo.callbacks import moment

UNTIL = dt.date(2026, 6, 30)
AS_OF = moment(UNTIL)
GROUPS = {"success": {rules.SUCCESS}, "temporary": rules.TEMPORARY,
          "number": rules.NUMBER_PROBLEM, "refusal": rules.REFUSAL, "special": rules.SPECIAL}


def read(result, kind):
    with open(result.path(kind), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def at(text):
    assert text.endswith("+08:00"), text
    return dt.datetime.fromisoformat(text)


@pytest.fixture(scope="module")
def small(small_result):
    rows = {kind: read(small_result, kind) for kind in (
        "units", "agents", "products", "policies", "callback_attempts", "contact_updates",
        "callback_requests")}
    return rows, replay(rows)


def replay(rows):
    """Every policy's callback state at the demo's moment, by rules.callback_state."""
    long_term = {p["product_code"]: p["long_term"] == "true" for p in rows["products"]}
    landlines = {n for u in rows["units"] for n in u["phones"].split(";") if n}
    owners = defaultdict(set)
    for a in rows["agents"]:
        owners[a["phone"]].add(a["id_number"])

    def false(phone, id_number):
        return phone in landlines or bool(owners.get(phone, set()) - {id_number})

    attempts, updates, requests = defaultdict(list), defaultdict(list), defaultdict(dict)
    for a in rows["callback_attempts"]:
        attempts[a["policy_no"]].append(rules.Attempt(
            at(a["attempted_at"]), a["round"], a["outcome"],
            tuple(f for f in a["findings"].split(";") if f), a["phone_changed"] == "true"))
    for u in rows["contact_updates"]:
        updates[u["policy_no"]].append(u)
    for r in rows["callback_requests"]:
        requests[r["policy_no"]][r["kind"]] = r
    states = {}
    for p in rows["policies"]:
        mine = requests[p["policy_no"]]
        early = exempted = None
        if mine.get("early", {}).get("approved_on"):
            early = max(dt.date.fromisoformat(mine["early"]["earliest_on"]),
                        dt.date.fromisoformat(mine["early"]["approved_on"]))
        if mine.get("exemption", {}).get("approved_on"):
            exempted = dt.date.fromisoformat(mine["exemption"]["approved_on"])
        policy = rules.Policy(dt.date.fromisoformat(p["printed_on"]),
                              long_term[p["product_code"]], early, exempted,
                              false(p["applicant_phone"], p["applicant_id_number"]))
        mine_updates = [rules.Update(at(u["updated_at"]),
                                     false(u["phone"], p["applicant_id_number"]))
                        for u in updates[p["policy_no"]]]
        states[p["policy_no"]] = rules.callback_state(
            policy, attempts[p["policy_no"]], mine_updates, AS_OF)
    return states


def test_every_outcome_group_and_the_manual_methods(small):
    rows, _ = small
    phone = [a for a in rows["callback_attempts"] if a["round"] != "manual"]
    groups = Counter(g for a in phone for g, codes in GROUPS.items() if a["outcome"] in codes)
    assert set(groups) == set(GROUPS)
    assert groups["success"] > 0.4 * len(phone)
    assert groups["number"] + groups["refusal"] + groups["special"] < 0.1 * len(phone)
    assert {a["outcome"] for a in phone} >= {"empty_number", "wrong_number", "suspended",
                                             "refused_self", "special_no_callback",
                                             "surrendered"}
    manual = [a for a in rows["callback_attempts"] if a["round"] == "manual"]
    assert {a["method"] for a in manual} == {"call", "letter", "visit"}
    assert {a["phone_changed"] for a in manual} == {"true", "false"}
    assert not any(a["method"] or a["phone_changed"] for a in phone)
    assert Counter(a["outcome"] == "success" for a in manual)[True] > 0.7 * len(manual)
    assert all(a["operator"] for a in rows["callback_attempts"])


def test_successes_satisfaction_and_findings(small):
    rows, _ = small
    kind = {p["product_code"]: p["kind"] for p in rows["products"]}
    product = {p["policy_no"]: p["product_code"] for p in rows["policies"]}
    successes = [a for a in rows["callback_attempts"] if a["outcome"] == "success"]
    satisfied = Counter(a["satisfaction"] for a in successes if a["round"] != "manual")
    assert set(satisfied) == {"1", "2", "3", "4", "5"}
    assert satisfied["4"] + satisfied["5"] > 0.75 * sum(satisfied.values())
    found = [a for a in successes if a["findings"]]
    assert 0.005 <= len(found) / len(successes) <= 0.012
    codes = Counter(f for a in found for f in a["findings"].split(";"))
    assert set(codes) == {"forged_signature", "misleading", "investment_risk_concealed"}
    for a in found:
        if "investment_risk_concealed" in a["findings"]:
            assert kind[product[a["policy_no"]]] == "unit_linked"
    assert not any(a["findings"] for a in rows["callback_attempts"]
                   if a["outcome"] != "success")


def test_the_rules_replayed_give_every_state_and_only_the_planted_flags(small):
    rows, states = small
    counts = Counter(s.status for s in states.values())
    assert set(counts) == set(rules.STATUSES)
    assert counts[rules.SUCCEEDED] > 0.9 * (len(states) - counts[rules.NOT_REQUIRED]
                                             - counts[rules.WAITING])
    flags = Counter(code for s in states.values() for _, code in s.flagged)
    # ~1% of the attempts break the rules; the call centre never calls a closed round
    assert set(flags) == {rules.OUTSIDE_HOURS, rules.TOO_SOON}
    assert 0.005 < sum(flags.values()) / len(rows["callback_attempts"]) < 0.02


def test_most_succeed_in_round_1_at_the_first_or_second_call(small):
    rows, states = small
    per_policy = Counter(a["policy_no"] for a in rows["callback_attempts"])
    first_round = [no for no, s in states.items()
                   if s.status == rules.SUCCEEDED and s.success_round == "1"]
    early = sum(per_policy[no] <= 2 for no in first_round)
    assert early > 0.8 * len(first_round)
    spread = [s for s in states.values() if s.round_1_failed_at and s.attempts >= 3]
    assert spread  # rounds that failed after temporary failures spread over days and slots


def test_agents_update_the_phone_within_their_ten_days(small):
    rows, states = small
    assert rows["contact_updates"]
    policies = {p["policy_no"]: p for p in rows["policies"]}
    new_numbers = 0
    for u in rows["contact_updates"]:
        state, policy = states[u["policy_no"]], policies[u["policy_no"]]
        assert u["agent_code"] == policy["agent_code"]
        failed = state.round_1_failed_at
        assert failed is not None and failed < at(u["updated_at"])
        deadline = rules.at_nine(failed.astimezone(rules.SHANGHAI).date()
                                 + dt.timedelta(days=10))
        assert at(u["updated_at"]) <= deadline
        new_numbers += u["phone"] != policy["applicant_phone"]
    assert 0.5 * len(rows["contact_updates"]) < new_numbers < len(rows["contact_updates"])
    failed_round_1 = [s for s in states.values() if s.round_1_failed_at is not None
                      and s.round_1_failed_at < AS_OF - dt.timedelta(days=10)]
    updated = {u["policy_no"] for u in rows["contact_updates"]}
    assert len(updated) > 0.6 * len(failed_round_1)


def test_requests_are_approved_and_honoured(small):
    rows, states = small
    kinds = Counter(r["kind"] for r in rows["callback_requests"])
    assert kinds["early"] > 0 and kinds["exemption"] > 0
    for r in rows["callback_requests"]:
        assert dt.date.fromisoformat(r["requested_on"]) < UNTIL
        if r["kind"] == "exemption":
            assert r["earliest_on"] == ""
            if r["approved_on"]:
                assert states[r["policy_no"]].status == rules.EXEMPTED
        elif r["approved_on"]:
            opens = states[r["policy_no"]].round_1_opens_at
            assert opens == rules.at_nine(dt.date.fromisoformat(r["earliest_on"]))


def test_nothing_after_the_moment_and_the_last_weeks_partly_uncalled(small):
    rows, states = small
    assert all(at(a["attempted_at"]) < AS_OF for a in rows["callback_attempts"])
    assert all(at(u["updated_at"]) < AS_OF for u in rows["contact_updates"])
    long_term = {p["product_code"] for p in rows["products"] if p["long_term"] == "true"}
    called = {a["policy_no"] for a in rows["callback_attempts"]}
    recent = [p["policy_no"] for p in rows["policies"] if p["product_code"] in long_term
              and UNTIL - dt.timedelta(days=25) <= dt.date.fromisoformat(p["printed_on"])
              < UNTIL - dt.timedelta(days=10)]
    uncalled = [no for no in recent if no not in called]
    assert 0.1 * len(recent) < len(uncalled) < 0.9 * len(recent)
    queue = [s for s in states.values() if s.status in (rules.ROUND_1, rules.ROUND_2)
             and rules.next_call_at(s) <= AS_OF]
    assert len(queue) > 50


def test_one_policys_story_is_a_pure_function_of_its_facts_and_the_seed():
    staff = sim.Staff(("甲",), ("乙",))
    facts = sim.Facts(printed=dt.date(2026, 3, 2).toordinal(), phone_false=True)
    one, two = (sim.simulate(random.Random(5), facts, staff) for _ in range(2))
    assert one == two
    assert one.attempts and one.attempts == sorted(one.attempts)
    # the agent's own number: nobody calls round 1; the agent gives another number
    assert {a[1] for a in one.attempts} <= {"2", "manual"}
