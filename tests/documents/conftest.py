import datetime as dt
from zoneinfo import ZoneInfo

import pytest

SH = ZoneInfo("Asia/Shanghai")


def at(month, day, hour=0, year=2026):
    return dt.datetime(year, month, day, hour, tzinfo=SH)


@pytest.fixture
def issue(company):
    """issue(doc_no, due_on, agent="A001", issued_on=None, returned_on=None)."""
    from pinzhi.documents.models import ValuableDocument

    def make(doc_no, due_on, agent="A001", issued_on=None, returned_on=None, **kw):
        return ValuableDocument.objects.create(
            doc_no=doc_no, agent=company.agents[agent], due_on=due_on,
            issued_on=issued_on or due_on - dt.timedelta(days=30), returned_on=returned_on,
            **kw)

    return make
