"""A month's rows per agent are the CSV export's rows; its detail lines are the
examples' lines (tests/settlement/test_examples.py), filtered and paged."""

import pytest
from django.core.management import call_command

from tests.settlement.test_examples import DETAIL, read

from .conftest import API, settle


def all_rows(client, url, **query):
    rows, page = [], 1
    while page:
        body = client.get(url, {**query, "page": page, "page_size": 2}).json()
        rows += body["results"]
        page = page + 1 if body["next"] else None
    return rows


@pytest.mark.parametrize("unit", [None, "SZ"])
def test_agent_rows_are_the_exports_rows(examples, api_as, tmp_path, unit):
    settle(examples, "2026-02", "2026-03")
    settle(examples, "2026-04", unit="SZ")  # April: SZ closed, GZ still a draft
    assert api_as("sales").post(f"{API}settlements/2026-04/compute/", {"unit": "GZ"},
                                format="json").status_code == 200
    agents = {}
    for label in ("2026-02", "2026-03", "2026-04"):
        out = tmp_path / f"{label}.csv"
        call_command("export", "settlement", label, "--out", str(out),
                     *(["--unit", unit] if unit else []))
        exported = read(out)
        query = {"unit": unit} if unit else {}
        rows = all_rows(api_as("system"), f"{API}settlements/{label}/agents/", **query)
        assert rows == exported, label
        agents[label] = [r["agent_code"] for r in rows]
        if rows:  # the same columns, in the same order
            assert list(rows[0]) == list(exported[0])
    if unit:  # A004 had one policy, paid in February
        assert agents == {"2026-02": ["A004"], "2026-03": [], "2026-04": []}
    else:
        assert agents == {"2026-02": ["A001", "A002", "A003", "A004"],
                          "2026-03": ["A001"], "2026-04": ["A001"]}


def test_agent_rows_of_an_unknown_unit_are_none(examples, api_as):
    settle(examples, "2026-02")
    body = api_as("sales").get(f"{API}settlements/2026-02/agents/", {"unit": "XX"}).json()
    assert body["count"] == 0


def test_detail_lines_of_the_examples(examples, api_as):
    settle(examples, "2026-02", "2026-03", "2026-04")
    assert api_as("sales").post(f"{API}settlements/2026-05/compute/", {"unit": "GD"},
                                format="json").status_code == 200  # May stays a draft
    sales = api_as("sales")
    got = []
    for label in ("2026-02", "2026-03", "2026-04", "2026-05"):
        for line in all_rows(sales, f"{API}settlements/{label}/lines/", agent="A001"):
            assert line["closed"] is (label != "2026-05")
            assert line["rule_version"]
            got.append((line["month"], line["policy_no"], line["action"], line["amount"],
                        ";".join(line["reasons"])))
    # The examples list a month's lines by policy number, as text ("E10" before "E2").
    assert got == DETAIL


def test_line_filters(examples, api_as):
    settle(examples, "2026-02", "2026-03", "2026-04")
    sales, url = api_as("sales"), f"{API}settlements/2026-04/lines/"

    def lines(**query):
        return [(r["policy_no"], r["action"], r["amount"])
                for r in all_rows(sales, url, **query)]

    assert lines(policy="E8") == [("E8", "pay", "35.50"), ("E8", "deduct", "20.00"),
                                  ("E8", "deduct", "15.50")]
    assert lines(action="withhold") == [("E10", "withhold", "450.00"),
                                        ("E7", "withhold", "1000.00")]
    assert lines(agent="A004") == []
    assert sales.get(url, {"action": "steal"}).status_code == 400
    assert sales.get(f"{API}settlements/2026-07/lines/").status_code == 404  # not settled
    assert sales.get(f"{API}settlements/2026-13/lines/").status_code == 404
    assert sales.get(f"{API}settlements/2026-13/agents/").status_code == 404
