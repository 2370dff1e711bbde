"""The agent's statement: the forecast before the 20th with what releases each withheld
policy, his settled months, a month's lines (on screen, for staff by policy), and the
printable PDF in Chinese with an embedded TrueType CJK font."""

import shutil
import subprocess

import pytest

from pinzhi.quality import letters
from pinzhi.settlement import pdf, rules, statements
from pinzhi.settlement.views import present

from .conftest import FEB, signed_in

needs_poppler = pytest.mark.skipif(not (shutil.which("pdftotext") and shutil.which("pdffonts")),
                                   reason="poppler-utils not installed")


def forecast_of(html: str) -> str:
    return html[html.index('id="forecast"'):html.index("My settled months")]


def card(html: str, policy: str) -> str:
    """The forecast's card of one withheld policy."""
    rest = forecast_of(html).split(f'data-policy="{policy}"', 1)[1]
    return rest.split("data-policy=", 1)[0]


def test_the_forecast_card_lists_a_withheld_policy_with_what_to_do(client, examples):
    html = signed_in(client, examples.users.agent).get("/settlement/me/").content.decode()
    assert "Before the 20th (2026-06-20): what will be withheld if nothing changes" in html
    assert 'id="forecast" data-month="2026-06"' in html
    f1 = card(html, "F1")
    assert 'data-reason="receipt_missing"' in f1 and "Receipt not collected" in f1
    assert "Collect the receipt signed by the customer and have it registered by " \
           "2026-06-19" in f1
    assert 'data-reason="callback_pending"' in f1 and "expect the company" in f1
    assert "¥500.00" in f1
    e7 = card(html, "E7")  # the forged-signature case is still open
    assert "the quality officer decides the case" in e7
    assert 'data-policy="E1"' not in forecast_of(html)  # paid on the 20th: not listed


def test_his_months_list_the_settled_ones(client, february_closed, examples):
    html = signed_in(client, examples.users.agent).get("/settlement/me/").content.decode()
    months = html[html.index('id="my-months"'):]
    assert 'href="/settlement/me/2026-02/"' in months and "¥1,600.00" in months
    assert "Closed" in months


def test_a_month_of_his_statement_on_the_phone(client, february_closed, examples):
    html = signed_in(client, examples.users.agent).get("/settlement/me/2026-02/"
                                                       ).content.decode()
    assert 'href="/settlement/me/2026-02/statement.pdf"' in html
    assert 'data-column="withheld"' in html and "¥1,335.50" in html
    withheld = html[html.index('id="withheld"'):html.index('id="lines"')]
    for no in ("E2", "E4", "E8"):
        assert f'data-policy="{no}"' in withheld
    assert 'data-policy="E3"' not in withheld  # paid
    assert "Callback not successful yet" in withheld
    assert "<table" not in html[html.index("<main"):]  # cards, not wide tables


def test_staff_drill_down_shows_each_line_in_words(client, february, examples):
    html = signed_in(client, examples.users.sales).get("/settlement/2026-02/agents/A001/"
                                                       ).content.decode()
    assert 'href="/settlement/2026-02/agents/A001/statement.pdf"' in html
    row = html[html.index('data-policy="E2" data-action="withhold"'):]
    row = row[:row.index("</tr>")]
    assert 'href="/policies/E2/"' in row and "800.00" in row
    assert "receipt not collected" in row and "settlement-2026.1" in row
    assert 'data-policy="E5" data-action="forfeit"' in html
    assert "Draft, not final" in html


def test_an_adjustment_line_shows_its_written_reason(client, february_closed, examples):
    signed_in(client, examples.users.sales).post("/settlement/adjustments/", {
        "agent": "A001", "amount": "88.00", "reason": "补发2月漏算佣金"})
    client.post("/settlement/compute/", {"month": "2026-03", "unit": "GD"})
    html = client.get("/settlement/2026-03/agents/A001/").content.decode()
    row = html[html.index('data-action="adjust"'):]
    assert "补发2月漏算佣金" in row[:row.index("</tr>")] and "88.00" in row


# -- the PDF ---------------------------------------------------------------------------


def pdf_of(client, user, url):
    response = signed_in(client, user).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    return response.content


def poppler(tool: str, content: bytes, tmp_path) -> str:
    path = tmp_path / "statement.pdf"
    path.write_bytes(content)
    args = [tool, "-layout", str(path), "-"] if tool == "pdftotext" else [tool, str(path)]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


@needs_poppler
def test_the_printed_statement_in_chinese(client, february_closed, examples, tmp_path):
    content = pdf_of(client, examples.users.agent, "/settlement/me/2026-02/statement.pdf")
    flat = "".join(poppler("pdftotext", content, tmp_path).split())
    for expected in ("广东分公司", "佣金结算单", "2026年2月", "张伟", "A001", "天河一组",
                     "2026-02-2000:00", "已结算", "本月入账", "实发净额", "缓发", "扣发",
                     "3,835.50", "1,335.50", "回执未回销", "回访未成功", "缓发保单及处理建议",
                     "E2", "E8", "settlement-2026.1"):
        assert expected in flat, expected


@needs_poppler
def test_the_statement_embeds_a_truetype_cjk_font(client, february, examples, tmp_path):
    if letters.letter_font() != "PinzhiCJK":
        pytest.skip("no TrueType CJK font here (fonts-wqy-zenhei): the CID fallback is used")
    content = pdf_of(client, examples.users.sales,
                     "/settlement/2026-02/agents/A001/statement.pdf")
    assert b"/FontFile2" in content  # the glyphs travel with the statement
    fonts = poppler("pdffonts", content, tmp_path).splitlines()[2:]
    assert fonts, "no font in the PDF"
    for line in fonts:  # every font is the embedded CJK one: no stray Helvetica
        cells = line.split()  # name, type (1 or 2 words), encoding, emb, sub, uni, id
        name, kind, emb = cells[0], " ".join(cells[1:-6]), cells[-5]
        assert "TrueType" in kind and emb == "yes", line
        assert "WenQuanYi" in name or "Droid" in name or "UMing" in name, line


def test_statement_pdf_of_a_forecast_and_without_lines(examples):
    """The function takes any statement: the forecast's, and one without lines."""
    forecast = statements.forecast(examples.agents["A001"])
    assert pdf.statement_pdf(forecast).startswith(b"%PDF-")
    empty = statements.Statement(examples.agents["A002"], FEB, "draft",
                                 rules.cutoff_at(FEB), rules.Totals(), [])
    assert pdf.statement_pdf(empty).startswith(b"%PDF-")
    assert present(forecast).withheld_items


def test_reasons_in_chinese():
    assert pdf.reasons_zh("withhold", "receipt_missing;callback_pending") == \
        "回执未回销、回访未成功"
    assert pdf.reasons_zh("deduct", "phone_changed") == "人工回访发现电话变更"
    assert pdf.reasons_zh("adjust", "补发") == "补发"
