"""What is late (rules §4.8): callbacks open after the cooling-off period, manual
callbacks past due, callbacks completed late in a month; counted per unit."""

import pytest
from django.urls import reverse

from pinzhi.callbacks.evaluation import evaluate

from .conftest import at, call, open_manual, printed, t

pytestmark = pytest.mark.django_db


@pytest.fixture
def late_policies(company):
    """Printed 02-03: the cooling-off period ends 02-19 00:00. L1 never reached; L2
    reached on time in round 1; L3 reached 02-25, late; L4 (SZ) never reached."""
    op = company.users.operator
    policies = {no: printed(company, no, agent) for no, agent in
                [("L1", "A001"), ("L2", "A003"), ("L3", "A003"), ("L4", "A004")]}
    call(policies["L2"], op, t(2, 13, 10), "success")
    call(policies["L3"], op, t(2, 25, 10), "success")
    evaluate(as_of=t(3, 1))
    return policies


def page(client, **params):
    with at(t(3, 1, 12)):
        return client.get(reverse("callbacks-late"), params).content.decode()


@pytest.mark.parametrize("username, status", [
    ("officer", 200), ("manager", 200), ("hq", 200), ("admin", 200),
    ("agent", 404), ("clerk", 404), ("operator", 404),
])
def test_late_view_for_officers_and_managers(company, login, username, status):
    assert login(getattr(company.users, username)).get(reverse("callbacks-late")) \
        .status_code == status


def test_an_open_callback_after_the_deadline_is_listed_not_a_succeeded_one(
        company, login, late_policies):
    html = page(login(company.users.officer))
    assert 'id="late-open-L1"' in html
    assert 'id="late-open-L2"' not in html and 'id="late-open-L3"' not in html
    assert 'id="late-open-L4"' not in html  # another sub-branch's
    assert 'id="count-open">1<' in html
    assert "States as of the last evaluation, 2026-03-01 00:00" in html
    html = page(login(company.users.officer_sz))
    assert 'id="late-open-L4"' in html and 'id="late-open-L1"' not in html


def test_completed_late_in_the_chosen_month(company, login, late_policies):
    client = login(company.users.officer)
    html = page(client, show="completed", month="2026-02")
    assert 'id="late-completed-L3"' in html and 'id="late-completed-L2"' not in html
    html = page(client, show="completed", month="2026-03")
    assert 'id="late-completed-L3"' not in html and 'id="count-completed">0<' in html


def test_counts_per_unit_one_level_below(company, login, late_policies):
    open_manual(company, "M1", agent="A001")  # due 03-16
    with at(t(3, 20, 12)):
        html = login(company.users.hq).get(reverse("callbacks-late"),
                                            {"unit": "GD", "month": "2026-02"}).content.decode()
    # GD's sub-branches on 03-20: GZ has L1, M1 and the company's P1, P3 (printed 03-02,
    # period ended 03-18) open late, M1 past due, L3 completed late; SZ has L4 and P4
    gz = html[html.index('id="unit-GZ"'):html.index('id="unit-SZ"')]
    assert [int(n) for n in _numbers(gz)] == [4, 1, 1]
    sz = html[html.index('id="unit-SZ"'):html.index('id="unit-total"')]
    assert [int(n) for n in _numbers(sz)] == [2, 0, 0]
    total = html[html.index('id="unit-total"'):]
    assert [int(n) for n in _numbers(total)][:3] == [6, 1, 1]
    with at(t(3, 20, 12)):
        html = login(company.users.officer).get(reverse("callbacks-late"),
                                                {"show": "manual"}).content.decode()
    assert 'id="late-manual-M1"' in html and 'id="unit-GZ01"' in html


def _numbers(fragment):
    import re

    return re.findall(r'<td class="text-end[^"]*">(\d+)</td>', fragment)


def test_the_lists_say_as_of_the_last_run_over_the_whole_unit_shown(company, login):
    """With one timer per branch (docs/deployment.md), the branch's own run dates the
    lists; another branch's run, or a run over one of its teams, does not."""
    from pinzhi.callbacks.models import EvaluationRun

    def run(scope, day):
        EvaluationRun.objects.create(as_of=t(3, day), scope=scope, started_at=t(3, day),
                                     finished_at=t(3, day))

    run("all", 1)
    run("incremental@GD", 2)
    run("all@T1", 3)  # a team under GD: not all of the branch
    run("all@JS", 4)  # another branch
    html = page(login(company.users.officer))
    assert "2026-03-02" in html and "2026-03-03" not in html and "2026-03-04" not in html
