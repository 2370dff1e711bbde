"""The small demo company's files, generated once for every test module of the folder."""

import datetime as dt

import pytest

from pinzhi.demo.generator import generate

UNTIL = dt.date(2026, 6, 30)  # H1 2026 is then a whole half-year of the demo's year


@pytest.fixture(scope="session")
def small_result(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("small"), size="small", seed=7, until=UNTIL)
