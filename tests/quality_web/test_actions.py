"""Every change through the pages: the buttons each role gets, each action through its
service, and refusals shown with the service's message with nothing changed."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from pinzhi.core.models import Event
from pinzhi.quality.models import Case, CaseAttachment, HalfYearClose, ViolationVersion

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    """These tests read the services' messages in English; the test below checks that a
    Chinese page shows them in Chinese."""
    client.cookies["django_language"] = "en"


def test_a_refusal_is_shown_in_chinese_on_a_chinese_page(client, company, draft):
    client.cookies.pop("django_language")
    client.force_login(company.users.officer)
    page = act(client, draft, "dismiss", note="").content.decode()
    assert "不予认定案件须填写原因" in page
    client.post(reverse("case-action", args=[draft.case_no, "dismiss"]), {"note": "证据不足"})
    page = act(client, draft, "confirm").content.decode()
    assert "当前状态为“不予认定”" in page  # the state named in Chinese too

BUTTONS = ["btn-confirm", "btn-dismiss", "btn-uphold", "btn-overturn", "appeal-form-"]


def act(client, case, action, **data):
    return client.post(reverse("case-action", args=[case.case_no, action]), data, follow=True)


def buttons(client, case):
    html = client.get(reverse("case-detail", args=[case.case_no])).content.decode()
    return {b for b in BUTTONS if f'id="{b}' in html}


def status(case):
    return Case.objects.get(pk=case.pk).status


def test_draft_buttons_by_role(company, login, draft):
    assert buttons(login(company.users.officer), draft) == {"btn-confirm", "btn-dismiss"}
    assert buttons(login(company.users.hq), draft) == {"btn-confirm", "btn-dismiss"}
    assert buttons(login(company.users.clerk), draft) == set()
    assert buttons(login(company.users.manager), draft) == set()


def test_appeal_buttons_by_role(company, login, appealed):
    # the confirmer may not decide: no buttons, and a word why
    client = login(company.users.officer)
    assert buttons(client, appealed) == set()
    assert 'id="confirmer-note"' in client.get(appealed.get_absolute_url()).content.decode()
    assert buttons(login(company.users.hq), appealed) == {"btn-uphold", "btn-overturn"}
    assert buttons(login(company.users.agent), appealed) == set()


def test_agent_gets_the_appeal_button_within_the_window(company, login, confirmed):
    client = login(company.users.agent)
    assert buttons(client, confirmed) == {"appeal-form-"}
    html = client.get(reverse("my-quality")).content.decode()
    assert f'id="appeal-form-{confirmed.case_no}"' in html
    Case.objects.filter(pk=confirmed.pk).update(told_at=timezone.now() - dt.timedelta(days=11))
    assert buttons(client, confirmed) == set()
    html = client.get(reverse("my-quality")).content.decode()
    assert f'id="appeal-form-{confirmed.case_no}"' not in html
    assert buttons(login(company.users.officer), confirmed) == set()


def test_confirm(company, login, draft):
    response = act(login(company.users.officer), draft, "confirm", note="录音已核实")
    assert response.status_code == 200 and status(draft) == "confirmed"
    assert 'data-status="confirmed"' in response.content.decode()
    case = Case.objects.get(pk=draft.pk)
    assert case.decided_by == company.users.officer and case.decision_note == "录音已核实"


def test_dismiss_without_reason_is_refused_with_the_message(company, login, draft):
    response = act(login(company.users.officer), draft, "dismiss", note="  ")
    assert "a reason is required to dismiss a case" in response.content.decode()
    assert status(draft) == "draft"
    act(login(company.users.officer), draft, "dismiss", note="客户撤回投诉")
    assert status(draft) == "dismissed"


def test_confirming_a_dismissed_case_is_refused(company, login, draft):
    client = login(company.users.officer)
    act(client, draft, "dismiss", note="x")
    response = act(client, draft, "confirm")
    assert "only a draft can be confirmed" in response.content.decode()
    assert status(draft) == "dismissed"


def test_clerk_cannot_confirm(company, login, draft):
    response = act(login(company.users.clerk), draft, "confirm")
    assert "may not decide cases" in response.content.decode()
    assert status(draft) == "draft"


def test_out_of_scope_actions_are_404(company, login, draft):
    assert act(login(company.users.officer_sz), draft, "confirm").status_code == 404
    assert act(login(company.users.officer), draft, "delete").status_code == 404
    assert status(draft) == "draft"


def test_appeal_from_my_page_then_overturn_by_another_officer(company, login, confirmed):
    client = login(company.users.agent)
    response = client.post(reverse("case-action", args=[confirmed.case_no, "appeal"]),
                           {"reason": "已向客户说明", "next": reverse("my-quality")})
    assert response.status_code == 302 and response.url == reverse("my-quality")
    assert status(confirmed) == "appealed"
    response = act(login(company.users.hq), confirmed, "overturn", note="录音证明已说明")
    assert status(confirmed) == "overturned"
    assert 'id="appeal-decision"' in response.content.decode()
    html = login(company.users.agent).get(reverse("my-quality")).content.decode()
    previous = html.split('id="score-previous" data-period="2026H1"')[1]
    assert '<div class="pz-stat-n pz-points">0.0</div>' in previous.split("</div>\n</div>")[0]


def test_appeal_needs_a_reason_and_the_agent_himself(company, login, confirmed):
    response = act(login(company.users.agent), confirmed, "appeal", reason="")
    assert "an appeal needs a reason" in response.content.decode()
    response = act(login(company.users.officer), confirmed, "appeal", reason="x")
    assert "only the agent of the case may appeal it" in response.content.decode()
    assert status(confirmed) == "confirmed"


def test_appeal_after_the_window_is_refused(company, login, confirmed):
    Case.objects.filter(pk=confirmed.pk).update(told_at=timezone.now() - dt.timedelta(days=11))
    response = act(login(company.users.agent), confirmed, "appeal", reason="x")
    assert "the time to appeal case" in response.content.decode()
    assert status(confirmed) == "confirmed"


def test_the_confirmer_cannot_decide_the_appeal(company, login, appealed):
    response = act(login(company.users.officer), appealed, "overturn")
    assert "may not decide its appeal" in response.content.decode()
    assert status(appealed) == "appealed"
    act(login(company.users.hq), appealed, "uphold", note="证据充分")
    assert status(appealed) == "upheld"


def test_draft_a_case(company, login):
    client = login(company.users.officer)
    assert client.get(reverse("case-new")).status_code == 200
    response = client.post(reverse("case-new"), {
        "agent": "A003", "type": "forged_signature", "occurred_on": "2026-10-09",
        "policy": "P3", "source": "complaint", "evidence": "投保单签名非本人"}, follow=True)
    case = Case.objects.get(agent__code="A003")
    assert response.redirect_chain[-1][0] == case.get_absolute_url()
    assert (case.status, case.found_by, case.policy.policy_no, case.version.points_tenths) == (
        "draft", company.users.officer, "P3", 100)


@pytest.mark.parametrize("data, field", [
    ({"agent": "A004"}, "agent"),  # SZ: not his
    ({"policy": "P1"}, "policy"),  # A001's policy
    ({"occurred_on": "2099-01-01"}, "occurred_on"),
])
def test_draft_form_refuses_out_of_scope_input(company, login, data, field):
    values = {"agent": "A003", "type": "forged_signature", "occurred_on": "2026-10-09",
              "source": "audit", "evidence": "x", **data}
    response = login(company.users.officer).post(reverse("case-new"), values)
    assert response.status_code == 200 and response.context["form"].has_error(field)
    assert not Case.objects.exists()


def test_draft_refused_by_the_service_shows_its_message(company, login):
    values = {"agent": "A003", "type": "forged_signature", "occurred_on": "2009-05-01",
              "source": "audit", "evidence": "x"}
    response = login(company.users.officer).post(reverse("case-new"), values)
    assert "no violation forged_signature in force" in response.content.decode()
    assert not Case.objects.exists()


def test_only_officers_draft(company, login):
    assert login(company.users.clerk).get(reverse("case-new")).status_code == 404


def _upload(client, case, name="录音.txt", body=b"evidence"):
    return client.post(reverse("case-evidence-upload", args=[case.case_no]),
                       {"file": SimpleUploadedFile(name, body)}, follow=True)


def test_evidence_upload_and_download_in_scope_only(company, login, draft):
    client = login(company.users.officer)
    response = _upload(client, draft)
    attachment = CaseAttachment.objects.get(case=draft)
    assert attachment.name == "录音.txt" and attachment.uploaded_by == company.users.officer
    assert Event.objects.filter(key=draft.case_no, action="case.file_added").exists()
    url = reverse("case-evidence", args=[draft.case_no, attachment.pk])
    assert url in response.content.decode()
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"evidence"
    assert "attachment" in download["Content-Disposition"]
    assert login(company.users.officer_sz).get(url).status_code == 404
    assert login(company.users.agent).get(url).status_code == 404  # a draft: not told yet
    assert login(company.users.agent3).get(url).status_code == 404
    # the file id under another case number is not a way round
    from pinzhi.quality.services import case_draft

    other = case_draft(agent=company.agents["A004"], violation_code="forged_signature",
                       occurred_on=dt.date(2026, 10, 9), source="audit")
    wrong = reverse("case-evidence", args=[other.case_no, attachment.pk])
    assert login(company.users.hq).get(wrong).status_code == 404


def test_the_agent_downloads_evidence_of_his_confirmed_case(company, login, confirmed):
    _upload(login(company.users.officer), confirmed)
    attachment = CaseAttachment.objects.get(case=confirmed)
    url = reverse("case-evidence", args=[confirmed.case_no, attachment.pk])
    assert login(company.users.agent).get(url).status_code == 200


def test_evidence_upload_refused_out_of_scope_and_for_non_officers(company, login, draft):
    assert _upload(login(company.users.officer_sz), draft).status_code == 404
    assert _upload(login(company.users.clerk), draft).status_code == 404
    assert not CaseAttachment.objects.exists()


def test_catalogue_version_added_by_head_office(company, login):
    client = login(company.users.hq)
    assert 'id="version-form"' in client.get(reverse("quality-catalogue")).content.decode()
    client.post(reverse("catalogue-version-add"), {
        "code": "misleading_sales", "valid_from": "2027-01-01", "points": "12.5", "unit": ""})
    version = ViolationVersion.objects.get(type__code="misleading_sales", valid_from="2027-01-01")
    assert (version.points_tenths, version.unit, version.name_zh) == (125, None, "销售误导")


def test_catalogue_version_refused_for_a_clerk(company, login):
    client = login(company.users.clerk)
    assert 'id="version-form"' not in client.get(reverse("quality-catalogue")).content.decode()
    response = client.post(reverse("catalogue-version-add"), {
        "code": "misleading_sales", "valid_from": "2027-01-01", "points": "12.5", "unit": "GZ"})
    assert "may not change the catalogue" in response.content.decode()
    assert not ViolationVersion.objects.filter(valid_from="2027-01-01").exists()


def test_branch_officer_prices_for_his_subtree_only(company, login):
    client = login(company.users.officer)
    html = client.get(reverse("quality-catalogue")).content.decode()
    assert 'id="version-form"' in html and 'id="scheme-form"' not in html
    data = {"code": "misleading_sales", "valid_from": "2027-01-01", "points": "15"}
    response = client.post(reverse("catalogue-version-add"), {**data, "unit": ""})
    assert response.context["version_form"].has_error("unit")
    client.post(reverse("catalogue-version-add"), {**data, "unit": "SZ"})  # not offered
    assert not ViolationVersion.objects.filter(valid_from="2027-01-01").exists()
    client.post(reverse("catalogue-version-add"), {**data, "unit": "GZ"})
    assert ViolationVersion.objects.get(valid_from="2027-01-01").unit.code == "GZ"


def test_thresholds_added_by_head_office(company, login):
    client = login(company.users.hq)
    lines = "0 good\n4 warned warning_letter\n10 failed no_maintenance\n20 termination x"
    client.post(reverse("catalogue-scheme-add"),
                {"valid_from": "2027-01-01", "lines": lines, "single_case": "20"})
    from pinzhi.quality.models import StandingScheme

    scheme = StandingScheme.objects.get(valid_from="2027-01-01")
    assert scheme.lines[1] == [40, "warned", ["warning_letter"]]
    response = client.post(reverse("catalogue-scheme-add"),
                           {"valid_from": "2027-02-01", "lines": "3 good", "single_case": "20"})
    assert "thresholds must start at 0 and rise" in response.content.decode()


def test_half_year_close_by_head_office_lists_corrections(company, login, confirmed):
    url = reverse("quality-scores", args=["2026H1"])
    assert 'id="btn-close"' not in login(company.users.officer).get(url).content.decode()
    response = login(company.users.officer).post(reverse("quality-close", args=["2026H1"]),
                                                  follow=True)
    assert "may not close a half-year" in response.content.decode()
    client = login(company.users.hq)
    assert 'id="btn-close"' in client.get(url).content.decode()
    client.post(reverse("quality-close", args=["2026H1"]))
    assert HalfYearClose.objects.filter(period="2026H1").exists()
    from pinzhi.quality.services import appeal_overturn, case_appeal

    case_appeal(case=confirmed, by=company.users.agent, reason="x")
    appeal_overturn(case=confirmed, by=company.users.hq)
    html = client.get(url).content.decode()
    assert 'id="corrections"' in html and f'id="case-{confirmed.case_no}"' in html
    assert 'id="btn-close"' not in html


def test_warning_letter_for_a_warned_agent_in_scope(client, company, draft):
    """A confirmed 10-point case makes A001 restricted: his letter is printed and logged;
    a good agent has none, and an officer of another branch cannot print it."""
    from pinzhi.quality.scoring import half_year_of
    from pinzhi.quality.services import case_confirm

    case_confirm(case=draft, by=company.users.officer)
    period = half_year_of(draft.occurred_on)
    client.force_login(company.users.officer)
    page = client.get(reverse("quality-scores", args=[period])).content.decode()
    assert 'id="letter-A001"' in page and 'id="letter-A002"' not in page
    response = client.get(reverse("warning-letter", args=[period, "A001"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert Event.objects.filter(action="warning_letter.printed", key="A001").exists()
    assert client.get(reverse("warning-letter", args=[period, "A002"])).status_code == 404
    client.force_login(company.users.officer_sz)
    assert client.get(reverse("warning-letter", args=[period, "A001"])).status_code == 404
