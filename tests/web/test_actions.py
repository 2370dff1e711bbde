"""The pages that write: the import upload and voiding, with the same rules as the CLI."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from pinzhi.core.models import Event
from pinzhi.policies.models import Policy

HEADER = ("policy_no,agent_code,product_code,applicant_name,applicant_id_number,"
          "applicant_phone,premium,commission,signed_on,printed_on,effective_on\n")
ROW = ("W1,A001,TRAD10,赵敏,440104197001010011,13912340000,5000.00,600.50,"
       "2026-03-01,2026-03-05,2026-03-02\n")


def upload(client, text, encoding="gbk", **extra):
    data = {"kind": "policies", "file": SimpleUploadedFile("保单.csv", text.encode(encoding)),
            **extra}
    return client.post("/import/", data)


@pytest.mark.django_db
class TestImportUpload:
    def test_officer_imports_a_gbk_file(self, client, company):
        client.force_login(company.users.officer)
        response = upload(client, HEADER + ROW)
        assert response.status_code == 200
        assert 'id="import-summary"' in response.content.decode()
        assert Policy.objects.get(policy_no="W1").applicant_name == "赵敏"

    def test_bad_rows_are_listed_on_the_page_and_nothing_written(self, client, company):
        client.force_login(company.users.officer)
        bad = ROW.replace("A001", "A999") + ROW.replace("W1", "W2").replace("5000.00", "x")
        page = upload(client, HEADER + bad).content.decode()
        assert 'id="import-rejected"' in page
        assert "A999" in page and "no such agent" in page and "not an amount" in page
        assert not Policy.objects.filter(policy_no__in=["W1", "W2"]).exists()

    def test_dry_run_writes_nothing(self, client, company):
        client.force_login(company.users.officer)
        page = upload(client, HEADER + ROW, dry_run="on").content.decode()
        assert 'id="import-summary"' in page
        assert not Policy.objects.filter(policy_no="W1").exists()

    @pytest.mark.parametrize("who", ["agent", "manager", "operator"])
    def test_roles_that_may_not_import_get_404(self, client, company, who):
        client.force_login(getattr(company.users, who))
        assert client.get("/import/").status_code == 404

    def test_a_kind_the_role_may_not_import_is_refused(self, client, company):
        client.force_login(company.users.officer)
        data = {"kind": "units", "file": SimpleUploadedFile("u.csv", b"code\n")}
        page = client.post("/import/", data).content.decode()
        assert 'id="import-summary"' not in page and 'id="import-rejected"' not in page


@pytest.mark.django_db
class TestVoidPage:
    def test_officer_voids_a_policy_of_his_subtree(self, client, company):
        client.force_login(company.users.officer)
        page = client.get("/policies/P1/").content.decode()
        assert 'id="void-form"' in page
        response = client.post("/void/policy/P1/", {"reason": "重复录入"})
        assert response.status_code == 302
        assert Policy.objects.get(policy_no="P1").void_reason == "重复录入"
        assert Event.objects.get(action="policy.voided").actor == company.users.officer

    def test_reason_required(self, client, company):
        client.force_login(company.users.officer)
        client.post("/void/policy/P1/", {"reason": ""})
        assert Policy.objects.get(policy_no="P1").voided_at is None

    @pytest.mark.parametrize("who, key", [("officer", "P4"), ("clerk", "P1"), ("agent", "P1")])
    def test_outside_scope_or_not_allowed_is_404(self, client, company, who, key):
        client.force_login(getattr(company.users, who))
        assert client.post(f"/void/policy/{key}/", {"reason": "x"}).status_code == 404
        assert not Policy.objects.filter(voided_at__isnull=False).exists()
        assert 'id="void-form"' not in client.get(f"/policies/{key}/").content.decode()
