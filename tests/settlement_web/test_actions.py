"""The buttons and forms of the settlement pages: compute, close (four eyes), discard,
and the adjustment form. Every change goes through the services; a refusal is shown as
the services' message and nothing changed."""

import pytest

from pinzhi.accounts.models import Role, User
from pinzhi.core.models import Event
from pinzhi.settlement.models import Adjustment, LedgerLine, Settlement

from .conftest import signed_in


def compute(c, month="2026-02", unit="GD"):
    return c.post("/settlement/compute/", {"month": month, "unit": unit}, follow=True)


def test_a_sales_admin_computes_a_draft_on_the_page(client, examples):
    response = compute(signed_in(client, examples.users.sales))
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/settlement/2026-02/"
    assert "Draft of 2026-02 for 广东分公司 computed" in html
    settlement = Settlement.objects.get()
    assert (settlement.status, settlement.computed_by) == ("draft", examples.users.sales)
    assert f'id="close-{settlement.pk}"' in html  # sales may close (another's draft)
    assert 'data-agent="A001"' in html


def test_the_compute_form_names_a_bad_month(client, examples):
    html = signed_in(client, examples.users.sales).post(
        "/settlement/compute/", {"month": "2026-13", "unit": "GD"}).content.decode()
    assert 'data-error="month"' in html and "Month: Enter a month as YYYY-MM" in html
    assert not Settlement.objects.exists()


def test_a_subtree_cannot_compute_the_whole_company(client, examples):
    html = compute(signed_in(client, examples.users.sales), unit="").content.decode()
    assert "sales may not compute the settlement of *" in html
    assert not Settlement.objects.exists()


def test_closing_by_who_computed_is_refused_then_another_closes(client, examples, sales2):
    sales = signed_in(client, examples.users.sales)
    compute(sales)
    settlement = Settlement.objects.get()
    response = sales.post(f"/settlement/2026-02/{settlement.pk}/close/", follow=True)
    html = response.content.decode()
    assert "sales computed this draft: a second person must close it" in html
    assert 'class="alert alert-danger"' in html
    settlement.refresh_from_db()
    assert settlement.status == "draft" and not LedgerLine.objects.exists()

    other = signed_in(client, sales2)
    html = other.post(f"/settlement/2026-02/{settlement.pk}/close/", follow=True
                      ).content.decode()
    assert "2026-02 is closed for GD: its lines are in the ledger." in html
    settlement.refresh_from_db()
    assert (settlement.status, settlement.closed_by) == ("closed", sales2)
    assert LedgerLine.objects.filter(settlement=settlement).count() == settlement.lines
    assert f'id="close-{settlement.pk}"' not in html  # closed: no more buttons
    assert 'data-status="closed"' in html


def test_a_month_cannot_close_before_its_cutoff(client, examples, sales2):
    compute(signed_in(client, examples.users.sales), month="2026-06")  # now 06-01
    settlement = Settlement.objects.get()
    html = signed_in(client, sales2).post(f"/settlement/2026-06/{settlement.pk}/close/",
                                          follow=True).content.decode()
    assert "2026-06 cannot close before its cutoff, 2026-06-20 00:00" in html
    assert Settlement.objects.get().status == "draft"


def test_a_manager_has_no_buttons(client, february, examples):
    html = signed_in(client, examples.users.manager).get("/settlement/2026-02/").content.decode()
    assert f'id="close-{february.pk}"' not in html and 'id="compute-form"' not in html
    html = signed_in(client, examples.users.manager).post(
        f"/settlement/2026-02/{february.pk}/close/", follow=True).content.decode()
    assert "manager may not close the settlement of /HQ/GD/" in html  # the service's word
    assert Settlement.objects.get().status == "draft"


def test_a_draft_is_discarded(client, february, examples):
    sales = signed_in(client, examples.users.sales)
    html = sales.post(f"/settlement/2026-02/{february.pk}/discard/", follow=True
                      ).content.decode()
    assert "The draft of 2026-02 for GD was discarded." in html
    assert not Settlement.objects.exists()
    assert Event.objects.filter(action="settlement.discarded", actor=examples.users.sales
                                ).exists()


def test_a_closed_month_is_not_discarded(client, february_closed, examples):
    html = signed_in(client, examples.users.sales).post(
        f"/settlement/2026-02/{february_closed.pk}/discard/", follow=True).content.decode()
    assert "2026-02 is closed: it cannot be discarded" in html
    assert Settlement.objects.get().status == "closed"


def test_a_settlement_out_of_scope_is_a_404(client, examples):
    sz = User.objects.create(username="sales_sz", role=Role.SALES_ADMIN,
                             unit=examples.units["SZ"])
    compute(signed_in(client, examples.users.sales), unit="GZ")
    settlement = Settlement.objects.get()
    c = signed_in(client, sz)
    assert c.post(f"/settlement/2026-02/{settlement.pk}/close/").status_code == 404
    assert c.post(f"/settlement/2026-02/{settlement.pk}/discard/").status_code == 404


# -- adjustments -------------------------------------------------------------------------

ADJUST = "/settlement/adjustments/"


def adjust(c, **data):
    values = {"agent": "A001", "policy": "", "amount": "150.00",
              "reason": "2月回执登记日期有误，补发"}
    values.update(data)
    return c.post(ADJUST, values, follow=True).content.decode()


@pytest.mark.parametrize("data, error", [
    ({"amount": "abc"}, "Amount (yuan): Enter an amount in yuan with at most 2 decimals"),
    ({"amount": "1.234"}, "Amount (yuan): Enter an amount in yuan with at most 2 decimals"),
    ({"amount": ""}, "Amount (yuan): This field is required."),
    ({"amount": "99999999"}, "Amount (yuan): This amount is too large"),
    ({"agent": "NOPE"}, "Agent code: No agent NOPE in your scope."),
    ({"policy": "NOPE"}, "Policy number: No policy NOPE in your scope."),
    ({"reason": "   "}, "Reason: This field is required."),
    ({"amount": "0"}, "an adjustment needs an amount other than 0"),
    ({"policy": "F3"}, "policy F3 is not A001&#x27;s"),
])
def test_the_adjustment_form_names_what_is_wrong(client, february_closed, examples, data,
                                                 error):
    html = adjust(signed_in(client, examples.users.sales), **data)
    assert 'id="form-errors"' in html and error in html
    assert not Adjustment.objects.exists()


def test_an_adjustment_before_any_closed_month_is_refused(client, february, examples):
    html = adjust(signed_in(client, examples.users.sales))
    assert "no month is closed for A001 yet" in html and not Adjustment.objects.exists()


def test_an_adjustment_is_recorded_in_the_next_open_month(client, february_closed, examples):
    html = adjust(signed_in(client, examples.users.sales), amount="-20.00", policy="E2")
    assert "Adjustment of -20.00 yuan for A001 recorded in 2026-03." in html
    adjustment = Adjustment.objects.get()
    assert (adjustment.amount_fen, adjustment.policy.policy_no) == (-2000, "E2")
    assert adjustment.by == examples.users.sales
    assert 'data-agent="A001"' in html and "2月回执登记日期有误" in html


def test_an_agent_outside_the_adjusters_scope(client, february_closed, examples):
    gz = User.objects.create(username="sales_gz", role=Role.SALES_ADMIN,
                             unit=examples.units["GZ"])
    html = adjust(signed_in(client, gz), agent="A004")  # Shenzhen
    assert "Agent code: No agent A004 in your scope." in html


def test_who_may_not_adjust_sees_no_form_and_may_not_post(client, february_closed, examples):
    manager = signed_in(client, examples.users.manager)
    assert 'id="adjustment-form"' not in manager.get(ADJUST).content.decode()
    assert manager.post(ADJUST, {"agent": "A001", "amount": "1", "reason": "x"}
                        ).status_code == 403
    assert not Adjustment.objects.exists()
