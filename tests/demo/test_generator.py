"""The demo company's feed files: the import formats, valid values, the same for the same seed."""

import csv
import datetime as dt
import re
from collections import Counter, defaultdict

import pytest

from pinzhi.core.masking import LANDLINE_RE, MOBILE_RE, id_number_checksum_ok
from pinzhi.demo.data import ALL_CITIES, MANAGER, SIZES
from pinzhi.demo.generator import FILES, PAPER_FILES, generate, is_working_day, year_start
from pinzhi.demo.paper import PaperWriter

UNTIL = dt.date(2026, 6, 30)

# The column names of the interfaces contract (spec/interfaces.md, "Files in").
CONTRACT = {
    "units": {"code", "name", "parent_code", "level", "phones"},
    "agents": {"agent_code", "name", "id_number", "phone", "unit_code", "rank", "hired_on",
               "status", "left_on"},
    "products": {"product_code", "name", "kind", "long_term", "cooling_off_days"},
    "policies": {"policy_no", "agent_code", "product_code", "applicant_name",
                 "applicant_id_number", "applicant_phone", "insured_name", "insured_id_number",
                 "premium", "payment_mode", "commission", "signed_on", "printed_on",
                 "effective_on", "status", "status_on"},
    "cases": {"case_no", "agent_code", "violation_code", "occurred_on", "policy_no", "found_on",
              "status", "evidence"},
    "callback_attempts": {"policy_no", "round", "attempted_at", "outcome", "findings",
                          "phone_changed", "satisfaction", "method", "operator", "note"},
    "contact_updates": {"policy_no", "updated_at", "phone", "agent_code"},
    "callback_requests": {"policy_no", "kind", "requested_on", "approved_on", "earliest_on"},
    "receipts": {"policy_no", "signed_on", "collected_on"},
    "valuable_documents": {"doc_no", "doc_type", "agent_code", "issued_on", "due_on",
                           "returned_on"},
    "notices": {"notice_no", "policy_no", "agent_code", "kind", "issued_on", "due_on",
                "delivered_on", "reported_on", "report_false", "harm"},
}
KINDS = {"traditional", "participating", "universal", "unit_linked", "health", "accident"}
MONEY_RE = re.compile(r"^\d+\.\d{2}$")


def read(result, kind):
    with open(result.path(kind), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def day(text):
    return dt.date.fromisoformat(text)


def age_on(id_number, on):
    born = dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@pytest.fixture(scope="module")
def small(small_result):
    return small_result, {kind: read(small_result, kind) for kind in FILES}


def tiny(out, seed=3, until=UNTIL):
    return generate(out, size="small", seed=seed, until=until, agents=40, policies=400)


def contents(result, kinds=FILES):
    return {kind: result.path(kind).read_bytes() for kind in kinds}


def test_same_seed_and_until_give_the_same_bytes(tmp_path):
    assert contents(tiny(tmp_path / "a")) == contents(tiny(tmp_path / "b"))


def test_the_paper_draws_last_and_changes_no_other_file(tmp_path, monkeypatch):
    with_paper = contents(tiny(tmp_path / "a"))
    assert all(with_paper[kind].count(b"\n") > 1 for kind in PAPER_FILES)
    monkeypatch.setattr(PaperWriter, "write", lambda self, policies, out: {
        kind: 0 for kind in PAPER_FILES})
    others = [kind for kind in FILES if kind not in PAPER_FILES]
    assert contents(tiny(tmp_path / "b"), others) == {k: with_paper[k] for k in others}


def test_the_load_order_puts_each_file_after_what_it_names():
    order = {kind: i for i, kind in enumerate(FILES)}
    for kind in PAPER_FILES + ("cases",):
        assert order[kind] > max(order["policies"], order["agents"]), kind


def test_another_seed_or_until_differs(tmp_path):
    first = contents(tiny(tmp_path / "a"))
    other_seed = contents(tiny(tmp_path / "b", seed=4))
    for kind in ("policies", "agents", "callback_attempts", "cases") + PAPER_FILES:
        assert other_seed[kind] != first[kind], kind
    other_day = contents(tiny(tmp_path / "c", until=dt.date(2026, 5, 31)))
    assert other_day["policies"] != first["policies"]


def test_headers_are_the_contract_columns(small):
    result, _ = small
    for kind in FILES:
        with open(result.path(kind), encoding="utf-8") as f:
            header = next(csv.reader(f))
        assert set(header) == CONTRACT[kind], kind
        assert len(header) == len(set(header))


def test_small_counts_are_near_the_targets(small):
    result, rows = small
    target = SIZES["small"]
    assert abs(len(rows["agents"]) - target.agents) <= target.agents * 0.1
    assert abs(len(rows["policies"]) - target.policies) <= target.policies * 0.1
    assert result.counts == {kind: len(rows[kind]) for kind in FILES}


def test_the_tree(small):
    _, rows = small
    units = {u["code"]: u for u in rows["units"]}
    assert len(units) == len(rows["units"])
    assert units["HQ"]["level"] == "hq" and units["HQ"]["parent_code"] == ""
    assert units["GD"]["name"] == "广东分公司"
    below = {"hq": "branch", "branch": "subbranch", "subbranch": "office", "office": "team"}
    for u in rows["units"][1:]:
        assert below[units[u["parent_code"]]["level"]] == u["level"], u
    levels = Counter(u["level"] for u in rows["units"])
    assert levels["subbranch"] >= 3 and levels["office"] >= levels["subbranch"]
    assert levels["team"] >= 40


def test_landlines_match_their_city(small):
    _, rows = small
    area = {c.code: c.area_code for c in ALL_CITIES}
    units = {u["code"]: u for u in rows["units"]}
    seen = []
    for u in rows["units"]:
        phones = u["phones"].split(";") if u["phones"] else []
        if u["level"] in ("branch", "subbranch", "office"):
            assert phones, u
        city = u["code"] if u["level"] == "subbranch" else None
        if u["level"] == "office":
            city = u["parent_code"]
        for phone in phones:
            assert LANDLINE_RE.match(phone), phone
            if city:
                assert phone.split("-")[0] == area[city]
        seen += phones
    assert len(seen) == len(set(seen))
    assert units["GD"]["phones"].startswith("020-")


def test_agents(small):
    _, rows = small
    units = {u["code"]: u for u in rows["units"]}
    districts = {c.code: {d for d, _ in c.districts} for c in ALL_CITIES}
    for a in rows["agents"]:
        team = units[a["unit_code"]]
        assert team["level"] == "team"
        assert id_number_checksum_ok(a["id_number"]), a
        city = units[team["parent_code"]]["parent_code"]
        assert a["id_number"][:6] in districts[city], a
        assert 20 <= age_on(a["id_number"], UNTIL) <= 60, a
        assert MOBILE_RE.match(a["phone"]), a
        assert day(a["hired_on"]) <= UNTIL
        if a["status"] == "terminated":
            assert day(a["hired_on"]) < day(a["left_on"]) <= UNTIL
        else:
            assert a["status"] == "active" and a["left_on"] == ""
    for column in ("agent_code", "id_number", "phone"):
        assert len({a[column] for a in rows["agents"]}) == len(rows["agents"]), column
    assert any(a["status"] == "terminated" for a in rows["agents"])
    assert {a["rank"] for a in rows["agents"]} == {
        "业务员", "业务主任", "高级业务主任", "业务经理", "高级业务经理"}


def test_one_manager_per_team(small):
    _, rows = small
    teams = [u["code"] for u in rows["units"] if u["level"] == "team"]
    managers = Counter(a["unit_code"] for a in rows["agents"] if a["rank"] == MANAGER)
    assert all(managers[t] == 1 for t in teams)
    assert all(a["status"] == "active" for a in rows["agents"] if a["rank"] == MANAGER)


def test_products(small):
    _, rows = small
    products = rows["products"]
    assert {p["kind"] for p in products} == KINDS
    assert {p["long_term"] for p in products} == {"true", "false"}
    assert {p["cooling_off_days"] for p in products} == {"15", "20"}
    names = {p["name"] for p in products}
    assert {"鑫福十年定期寿险", "金账户投资连结保险", "安康一年意外伤害保险"} <= names


def test_policy_numbers(small):
    _, rows = small
    numbers = [p["policy_no"] for p in rows["policies"]]
    assert len(set(numbers)) == len(numbers)
    for p in rows["policies"]:
        assert re.match(r"^P\d{12}$", p["policy_no"])
        assert p["policy_no"][1:5] == p["printed_on"][:4]


def test_people_on_policies_are_valid(small):
    _, rows = small
    agent_ids = {a["id_number"] for a in rows["agents"]}
    for p in rows["policies"]:
        assert id_number_checksum_ok(p["applicant_id_number"]), p
        assert id_number_checksum_ok(p["insured_id_number"]), p
        assert p["applicant_name"] and p["insured_name"]
        assert MOBILE_RE.match(p["applicant_phone"]) or LANDLINE_RE.match(p["applicant_phone"])
        if p["applicant_id_number"] not in agent_ids:  # a repeat buyer may be a year older
            assert 22 <= age_on(p["applicant_id_number"], day(p["printed_on"])) <= 66
    others = sum(p["insured_id_number"] != p["applicant_id_number"] for p in rows["policies"])
    assert 0.2 < others / len(rows["policies"]) < 0.5


def test_some_applicants_are_the_agent_and_some_phones_are_shared(small):
    _, rows = small
    agents = {a["agent_code"]: a for a in rows["agents"]}
    selves = [p for p in rows["policies"]
              if p["applicant_id_number"] == agents[p["agent_code"]]["id_number"]]
    assert 0 < len(selves) < 0.03 * len(rows["policies"])
    applicants_by_phone = defaultdict(set)
    for p in rows["policies"]:
        applicants_by_phone[p["applicant_phone"]].add(p["applicant_id_number"])
    shared = [ph for ph, ids in applicants_by_phone.items() if len(ids) > 3]
    assert 0 < len(shared) < 100


def test_policy_dates(small):
    _, rows = small
    start = year_start(UNTIL)
    cooling = {p["product_code"]: int(p["cooling_off_days"]) for p in rows["products"]}
    agents = {a["agent_code"]: a for a in rows["agents"]}
    for p in rows["policies"]:
        signed, printed = day(p["signed_on"]), day(p["printed_on"])
        effective = day(p["effective_on"])
        assert signed <= effective <= printed <= UNTIL, p
        assert 1 <= (printed - signed).days <= 10
        assert start <= printed and is_working_day(printed), p
        agent = agents[p["agent_code"]]
        assert day(agent["hired_on"]) <= signed
        if agent["left_on"]:
            assert printed < day(agent["left_on"])
        if p["status"] == "in_force":
            assert p["status_on"] == ""
            continue
        status_on = day(p["status_on"])
        assert signed < status_on <= UNTIL, p
        if p["status"] == "cooling_off_cancelled":
            assert status_on <= printed + dt.timedelta(days=cooling[p["product_code"]]), p
        else:
            assert status_on > printed


def test_statuses_and_payment_modes(small):
    _, rows = small
    policies = rows["policies"]
    statuses = Counter(p["status"] for p in policies)
    assert 0.02 <= statuses["cooling_off_cancelled"] / len(policies) <= 0.04
    assert 0 < statuses["surrendered"] < 0.02 * len(policies)
    assert 0 < statuses["lapsed"] < 0.02 * len(policies)
    modes = Counter(p["payment_mode"] for p in policies)
    assert modes["annual"] > 0.7 * len(policies)
    assert modes["single"] > 0 and modes["monthly"] > 0
    printed_months = {p["printed_on"][:7] for p in policies}
    assert len(printed_months) in (12, 13)


def test_premiums_and_commissions(small):
    _, rows = small
    kind = {p["product_code"]: p["kind"] for p in rows["products"]}
    rates = defaultdict(list)
    for p in rows["policies"]:
        assert MONEY_RE.match(p["premium"]) and MONEY_RE.match(p["commission"]), p
        premium, commission = float(p["premium"]), float(p["commission"])
        assert 20 <= premium <= 2_000_000 and 0 < commission < premium, p
        if p["payment_mode"] == "monthly":
            assert round(premium * 100) % 12 == 0
        if p["payment_mode"] != "single":
            rates[kind[p["product_code"]]].append(commission / premium)
    average = {k: sum(v) / len(v) for k, v in rates.items()}
    assert average["health"] > average["participating"] > average["universal"]
    assert average["unit_linked"] < 0.1
    singles = [float(p["premium"]) for p in rows["policies"] if p["payment_mode"] == "single"]
    annual = [float(p["premium"]) for p in rows["policies"] if p["payment_mode"] == "annual"]
    assert sum(singles) / len(singles) > 3 * sum(annual) / len(annual)
