"""`pinzhi export regulator YYYYQn` (interfaces.md, rules §8.3): confirmed false-customer-
information cases found in the quarter, nothing else."""

import csv

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pinzhi.reports.regulator import HEADER, quarter_bounds
from tests.factories import make_policy
from tests.settlement.conftest import load

CASES = ("case_no,agent_code,violation_code,occurred_on,found_on,policy_no,status,"
         "evidence\n")


def test_confirmed_false_information_found_in_the_quarter(company, tmp_path, travel):
    travel("2026-07-01T09:00")
    make_policy("Q1", company.agents["A004"], company.products["TRAD10"],
                applicant_phone="13911112222")
    load(tmp_path, "cases", CASES +
         "F1,A004,false_customer_info,2026-03-25,2026-04-02,Q1,confirmed,投保人电话为业务员本人电话\n"
         "F2,A001,false_customer_info,2026-04-10,2026-04-10,,draft,\n"  # not confirmed
         "F3,A001,false_customer_info,2026-03-10,2026-03-31,,confirmed,\n"  # Q1's
         "F4,A003,benefit_promised,2026-05-01,2026-05-01,,confirmed,\n")  # another matter
    out = tmp_path / "r.csv"
    call_command("export", "regulator", "2026Q2", "--out", str(out))
    with open(out, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == HEADER == ["quarter", "agent_code", "agent_name", "unit_code",
                                 "policy_no", "problem", "found_on", "action"]
    problem = "提供虚假客户资料（以本人或网点电话作为客户电话）: 投保人电话为业务员本人电话"
    assert rows[1:] == [["2026Q2", "A004", "刘洋", "T3", "Q1", problem, "2026-04-02",
                         "confirmed, 5.0 points, case F1"]]


def test_quarters():
    assert [d.isoformat() for d in quarter_bounds("2026q4")] == ["2026-10-01", "2026-12-31"]
    with pytest.raises(ValueError):
        quarter_bounds("2026Q5")
    with pytest.raises(CommandError, match="not a quarter"):
        call_command("export", "regulator", "2026-1", "--out", "/tmp/never.csv")
