"""The complaints feed (issue 8): GBK CSV from the call centre; a bad row names its row
and column, and nothing is written."""

import pytest

from pinzhi.complaints.models import Complaint
from pinzhi.core.importing import run_import

pytestmark = pytest.mark.django_db

HEADER = "complaint_no,received_on,agent_code,policy_no,channel,complainant,summary\n"


def load(tmp_path, text: str, encoding="gbk"):
    path = tmp_path / "complaints.csv"
    path.write_bytes(text.encode(encoding))
    return run_import("complaints", path)


def test_a_gbk_file_of_complaints(company, tmp_path):
    result = load(tmp_path, HEADER + "K1,2026-05-20,A001,P1,phone,陈静,业务员承诺保证收益\n"
                  "K2,2026-05-21,A004,,regulator,王芳,未告知犹豫期\n")
    assert result.ok, [str(e) for e in result.errors]
    k1, k2 = Complaint.objects.order_by("complaint_no")
    assert (k1.agent.code, k1.policy.policy_no, k1.summary) == ("A001", "P1", "业务员承诺保证收益")
    assert (k2.policy, k2.channel) == (None, "regulator")


def test_bad_rows_name_the_row_and_column_and_nothing_is_written(company, tmp_path):
    result = load(tmp_path, HEADER + "K1,2026-05-20,A001,P4,phone,陈静,s\n"
                  "K2,2099-01-01,A001,,phone,陈静,s\n"
                  "K3,2026-05-20,A001,,fax,陈静,s\n")
    assert not result.ok
    errors = {(e.row, e.column) for e in result.errors}
    assert errors == {(2, "policy_no"), (3, "received_on"), (4, "channel")}
    assert "not agent A001's" in " ".join(str(e) for e in result.errors)
    assert not Complaint.objects.exists()
