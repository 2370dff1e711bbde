"""The settlement examples (tests/settlement) with an agent in each other team, for the
settlement API: A001 (T1) has the examples' policies, A002 (T1, the manager), A003 (T2,
GZ) and A004 (T3, SZ) one short-term policy each, paid in February."""

import pytest
from rest_framework.test import APIClient

from pinzhi.settlement import rules
from pinzhi.settlement.services import settlement_close, settlement_compute
from tests.settlement.conftest import POLICIES, bare, load, policy_row  # noqa: F401
from tests.settlement.test_examples import load_examples

API = "/api/v1/"
OTHERS = {"X2": ("A002", "200.00"), "X3": ("A003", "300.00"), "X4": ("A004", "400.00")}


@pytest.fixture
def examples(bare, tmp_path, travel):  # noqa: F811 (pytest's fixtures, by name)
    travel("2026-06-01T09:00")
    load_examples(tmp_path)
    load(tmp_path, "policies", POLICIES + "".join(
        policy_row(no, "ACC1", commission, "2026-02-03", "2026-02-02", agent=agent)
        for no, (agent, commission) in OTHERS.items()))
    return bare


def settle(company, *labels, unit="GD"):
    """Compute (sales, of GD by default) and close (admin) months with the services."""
    for label in labels:
        computed = settlement_compute(month=rules.parse_month(label), by=company.users.sales,
                                      unit=company.units[unit])
        settlement_close(settlement=computed.settlement, by=company.users.admin)


@pytest.fixture
def api_as(company):
    """`api_as("officer")`: a client signed in as that user of tests.factories."""

    def make(username: str) -> APIClient:
        client = APIClient()
        client.force_authenticate(getattr(company.users, username))
        return client

    return make
