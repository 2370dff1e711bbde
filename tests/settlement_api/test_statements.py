"""An agent's statement of a settled month, and his forecast of the coming cutoff, with
what he can do about each withheld policy (rules §6, §8.2)."""

from pinzhi.settlement import rules
from tests.settlement.test_examples import SUMMARY

from .conftest import API, settle


def test_a_closed_month(examples, api_as):
    settle(examples, "2026-02")
    body = api_as("agent").get(f"{API}statements/A001/2026-02/").json()
    assert (body["agent_code"], body["agent_name"], body["unit_code"], body["month"],
            body["kind"], body["cutoff"]) == ("A001", "张伟", "T1", "2026-02", "closed",
                                              "2026-02-20T00:00:00+08:00")
    assert " ".join(body["totals"][c] for c in rules.COLUMNS) == SUMMARY["2026-02"]
    lines = {p["policy_no"]: [(x["action"], x["amount"], x["reasons"]) for x in p["lines"]]
             for p in body["policies"]}
    assert lines == {"E11": [("pay", "1000.00", [])],
                     "E2": [("withhold", "800.00", ["receipt_missing"])],
                     "E3": [("pay", "600.00", [])],
                     "E4": [("withhold", "500.00", ["callback_pending"])],
                     "E5": [("forfeit", "900.00", [])],
                     "E8": [("withhold", "35.50", ["receipt_missing"])]}
    withheld = {w["policy_no"]: w for w in body["withheld"]}
    assert list(withheld) == ["E2", "E4", "E8"]
    assert (withheld["E2"]["amount"], withheld["E2"]["reasons"]) == (
        "800.00", ["receipt_missing"])
    (hint,) = withheld["E2"]["hints"]
    # Released by the coming cutoff (the clock is at 2026-06-01): by 2026-06-19.
    assert hint["reason"] == "receipt_missing" and "2026-06-19" in hint["text"]
    assert withheld["E4"]["hints"][0]["reason"] == "callback_pending"


def test_a_draft_month_and_one_not_settled(examples, api_as):
    settle(examples, "2026-02")
    api_as("sales").post(f"{API}settlements/2026-03/compute/", {"unit": "GD"},
                         format="json")
    body = api_as("agent").get(f"{API}statements/A001/2026-03/").json()
    assert body["kind"] == "draft" and body["totals"]["recovered"] == "1000.00"
    assert api_as("agent").get(f"{API}statements/A001/2026-04/").status_code == 404
    assert api_as("agent").get(f"{API}statements/A001/2026-00/").status_code == 404
    assert api_as("sales").get(f"{API}statements/A999/2026-03/").status_code == 404


def test_the_forecast_of_the_coming_cutoff(examples, api_as):
    settle(examples, "2026-02", "2026-03", "2026-04", "2026-05")
    body = api_as("agent").get(f"{API}statements/A001/forecast/").json()
    assert (body["month"], body["kind"], body["cutoff"]) == (
        "2026-06", "forecast", "2026-06-20T00:00:00+08:00")
    (withheld,) = body["withheld"]  # E7: its finding is still undecided
    assert (withheld["policy_no"], withheld["amount"], withheld["reasons"]) == (
        "E7", "1000.00", ["finding_open"])
    assert "品质专员" in withheld["hints"][0]["text"]
    assert body["totals"]["withheld"] == "1000.00" and body["totals"]["net"] == "0.00"
    manager = api_as("manager").get(f"{API}statements/A001/forecast/")
    assert manager.json()["withheld"] == body["withheld"]
