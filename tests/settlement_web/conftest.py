"""The examples' company (tests/settlement) seen through the pages: A001's twelve worked
examples, and a few more policies so that scope and the forecast show.

All facts are loaded on 2026-06-01 09:00 (+08:00), after every one of them happened:
February's cutoff has passed (it may be computed and closed), and the coming cutoff is
June's, so A001's forecast withholds F1 (printed 05-25, no receipt, callback not done).
"""

import pytest

from pinzhi.accounts.models import Role, User
from pinzhi.settlement import rules
from pinzhi.settlement.services import settlement_close, settlement_compute
from tests.factories import PASSWORD
from tests.settlement.conftest import POLICIES, bare, load, policy_row  # noqa: F401
from tests.settlement.test_examples import load_examples

FEB = rules.parse_month("2026-02")
EXTRA = [
    policy_row("F1", "TRAD10", "500.00", "2026-05-25", "2026-05-24"),  # A001, June
    policy_row("F3", "TRAD10", "400.00", "2026-02-03", "2026-02-02", agent="A003"),  # T2
    policy_row("F4", "TRAD10", "300.00", "2026-02-04", "2026-02-03", agent="A004"),  # SZ
]


@pytest.fixture
def examples(bare, tmp_path, travel):  # noqa: F811 (the fixtures imported above)
    travel("2026-06-01T09:00")
    load_examples(tmp_path)
    load(tmp_path, "policies", POLICIES + "".join(EXTRA))
    return bare


@pytest.fixture
def sales2(examples):
    """A second sales administrator of the branch: the four eyes that close."""
    user = User(username="sales2", role=Role.SALES_ADMIN, unit=examples.units["GD"])
    user.set_password(PASSWORD)
    user.save()
    return user


@pytest.fixture
def february(examples):
    """February computed for the branch by `sales` (a draft)."""
    return settlement_compute(month=FEB, unit=examples.units["GD"],
                              by=examples.users.sales).settlement


@pytest.fixture
def february_closed(examples, february):
    return settlement_close(settlement=february, by=examples.users.admin)


def signed_in(client, user, language="en"):
    """The client as `user`, reading English (the default is Simplified Chinese)."""
    client.force_login(user)
    client.cookies["django_language"] = language
    return client
