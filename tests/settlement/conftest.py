"""The examples' company: the hand-built one without its own policies, and feed files."""

import datetime as dt
import zlib

import pytest
from django.utils import timezone

from pinzhi.core.importing import run_import
from pinzhi.policies.models import Policy
from tests.branches import branch_files, branches  # noqa: F401 (fixtures)

POLICIES = ("policy_no,agent_code,product_code,applicant_name,applicant_id_number,"
            "applicant_phone,premium,commission,signed_on,printed_on,effective_on,status,"
            "status_on\n")


@pytest.fixture
def bare(company):
    """The company without the factories' four policies (voided: they would be settled)."""
    Policy.objects.update(voided_at=timezone.now(), void_reason="not in these examples")
    return company


def load(tmp_path, kind: str, text: str, *, encoding: str = "utf-8"):
    path = tmp_path / f"{kind}.csv"
    path.write_bytes(text.encode(encoding))
    result = run_import(kind, path)
    assert result.ok, [str(e) for e in result.errors]
    return result


def policy_row(no, product, commission, printed, effective, *, agent="A001", status="",
               status_on="", phone=None):
    signed = (dt.date.fromisoformat(printed) - dt.timedelta(days=3)).isoformat()
    phone = phone or f"139{zlib.crc32(no.encode()) % 10**8:08d}"
    return (f"{no},{agent},{product},客户{no},440104197001010011,"
            f"{phone},10000.00,{commission},{signed},{printed},{effective},{status},"
            f"{status_on}\n")
