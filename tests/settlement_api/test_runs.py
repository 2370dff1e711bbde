"""Computing and closing through the API: four eyes, the cutoff, who may (rules §6)."""

import pytest

from pinzhi.settlement.models import LedgerLine, Settlement

from .conftest import API


def run(client, label, what, unit="GD"):
    return client.post(f"{API}settlements/{label}/{what}/",
                       {"unit": unit} if unit is not None else {}, format="json")


def test_compute_then_close_by_the_same_user_is_refused(examples, api_as):
    sales = api_as("sales")
    computed = run(sales, "2026-02", "compute")
    assert computed.status_code == 200, computed.content
    body = computed.json()
    assert (body["month"], body["unit"], body["status"]) == ("2026-02", "GD", "draft")
    assert (body["computed_by"], body["closed_by"]) == ("sales", None)
    assert body["totals"]["net"] == "2500.00"  # the examples' 1600.00 and X2, X3, X4
    assert body["totals"]["withheld"] == "1335.50"
    refused = run(sales, "2026-02", "close")
    assert refused.status_code == 409
    assert "second person" in refused.json()["detail"]
    assert Settlement.objects.get().status == "draft" and not LedgerLine.objects.exists()
    closed = run(api_as("admin"), "2026-02", "close")
    assert closed.status_code == 200, closed.content
    assert (closed.json()["status"], closed.json()["closed_by"]) == ("closed", "admin")
    assert LedgerLine.objects.count() == body["lines"]
    again = run(api_as("admin"), "2026-02", "compute")
    assert again.status_code == 409 and "never recomputed" in again.json()["detail"]


def test_closing_waits_for_the_cutoff(bare, api_as, travel):
    travel("2026-02-19T23:59")
    assert run(api_as("sales"), "2026-02", "compute").status_code == 200
    early = run(api_as("admin"), "2026-02", "close")
    assert early.status_code == 409 and "cutoff" in early.json()["detail"]
    travel("2026-02-20T00:00")
    assert run(api_as("admin"), "2026-02", "close").json()["status"] == "closed"


def test_months_close_in_order(examples, api_as):
    assert run(api_as("sales"), "2026-02", "compute").status_code == 200
    later = run(api_as("sales"), "2026-03", "compute")
    assert later.status_code == 409 and "close it first" in later.json()["detail"]


@pytest.mark.parametrize("user, unit, what", [
    ("manager", "T1", "compute"),  # a reading role
    ("officer", "SZ", "compute"),  # computes GZ's subtree, not SZ's
    ("sales", None, "compute"),  # GD's sales administration: not the whole company
    ("officer", "GZ", "close"),  # computes, never closes
    ("agent", "T1", "close"),
])
def test_who_may_not(examples, api_as, user, unit, what):
    if what == "close":
        run(api_as("sales"), "2026-02", "compute", unit=unit)
    response = run(api_as(user), "2026-02", what, unit=unit)
    assert response.status_code == 403 and response.json()["detail"]
    assert not Settlement.objects.filter(status="closed").exists()
    if what == "compute":
        assert not Settlement.objects.exists()


def test_a_run_needs_a_known_unit_and_a_draft(examples, api_as):
    unknown = run(api_as("sales"), "2026-02", "compute", unit="XX")
    assert unknown.status_code == 400 and "unit" in unknown.json()
    nothing = run(api_as("admin"), "2026-02", "close")
    assert nothing.status_code == 409 and "compute it first" in nothing.json()["detail"]
    assert run(api_as("admin"), "2026-13", "compute").status_code == 404
    assert api_as("admin").get(f"{API}settlements/2026-02/compute/").status_code == 405
