"""Voiding facts (rules §3): never deleted, a reason, audited, permissions, guards."""

import pytest
from django.core.management import CommandError, call_command

from pinzhi.core.models import Event
from pinzhi.core.voiding import VoidRefused, add_follower, void_fact
from pinzhi.policies.models import Policy


@pytest.mark.django_db
class TestVoid:
    def test_void_keeps_the_row_and_logs_who_and_why(self, company):
        void_fact(kind="policy", key="P1", reason="录入错误", by=company.users.officer)
        policy = Policy.objects.get(policy_no="P1")
        assert policy.voided_by == company.users.officer and policy.void_reason == "录入错误"
        assert not Policy.objects.live().filter(policy_no="P1").exists()
        event = Event.objects.get(action="policy.voided", key="P1")
        assert event.actor == company.users.officer and event.data == {"reason": "录入错误"}

    @pytest.mark.parametrize("kind, key, user, message", [
        ("policy", "P1", "agent", "may not void"),
        ("policy", "P1", "clerk", "may not void"),
        ("policy", "NOPE", "officer", "no such policy"),
        ("unit", "T1", "admin", "it has agents"),
        ("agent", "A001", "admin", "policies name this agent"),
        ("product", "TRAD10", "admin", "policies are of this product"),
        ("planet", "X", "admin", "unknown kind"),
    ])
    def test_refused(self, company, kind, key, user, message):
        with pytest.raises(VoidRefused, match=message):
            void_fact(kind=kind, key=key, reason="x", by=getattr(company.users, user))
        assert not Event.objects.filter(action__endswith=".voided").exists()

    def test_reason_required_and_no_second_void(self, company):
        with pytest.raises(VoidRefused, match="reason"):
            void_fact(kind="policy", key="P1", reason="  ")
        void_fact(kind="policies", key="P1", reason="dup")
        with pytest.raises(VoidRefused, match="already voided"):
            void_fact(kind="policy", key="P1", reason="again")

    def test_followers_run_in_the_same_transaction(self, company, monkeypatch):
        from pinzhi.core import voiding

        seen = []
        kind = voiding.VOID_KINDS["policy"]
        monkeypatch.setattr(kind, "followers", [])
        add_follower("policy", lambda obj, by, now: seen.append(obj.policy_no))
        void_fact(kind="policy", key="P4", reason="test")
        assert seen == ["P4"]

    def test_command(self, company, capsys):
        call_command("void", "policy", "P3", "--reason", "重复导入", "--by", "hq")
        assert Policy.objects.get(policy_no="P3").voided_at is not None
        with pytest.raises(CommandError, match="already voided"):
            call_command("void", "policy", "P3", "--reason", "again")

    def test_reimporting_a_voided_row_warns_and_changes_nothing(self, company, tmp_path):
        from pinzhi.core.importing import run_import

        void_fact(kind="policy", key="P1", reason="wrong")
        p = company.policies["P1"]
        path = tmp_path / "p.csv"
        path.write_text(
            "policy_no,agent_code,product_code,applicant_name,applicant_id_number,"
            "applicant_phone,premium,commission,signed_on,printed_on,effective_on\n"
            f"P1,A001,TRAD10,新名字,{p.applicant_id_number},13912345678,1.00,1.00,"
            "2026-02-25,2026-03-02,2026-03-01\n", encoding="utf-8")
        result = run_import("policies", path)
        assert result.ok and result.updated == 0 and len(result.warnings) == 1
        assert Policy.objects.get(policy_no="P1").applicant_name == "陈静"
