"""The warning letter (rules §7.5) of the worked example's agent A001 (examples.md):
2026H1 15.5 points, 14 cases, standing `failed`. Rendered with poppler (Debian's
poppler-utils, installed by .ci/run): the page is not blank and its text is the letter's."""

import datetime as dt
import shutil
import subprocess

import pytest
from PIL import Image

from pinzhi.org.models import Agent
from pinzhi.quality import letters
from pinzhi.quality.letters import warning_letter_pdf
from pinzhi.quality.scores import half_year_scores
from pinzhi.quality.services import case_confirm, case_draft, case_record_by_rule

ISSUED = dt.date(2026, 7, 6)
POPPLER = shutil.which("pdftoppm") and shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed "
                                   "(.ci/run installs it)")


def worked_example(company):
    """Agent A001's cases of examples.md, recorded through the services."""
    a001, officer = company.agents["A001"], company.users.officer
    due = [dt.date(2026, 2, 1) + dt.timedelta(days=7 * n) for n in range(12)]  # to 04-19
    for n, day in enumerate(due, start=1):
        case_record_by_rule(rule_key=f"document:D{n:03}", agent=a001,
                            violation_code="documents_overdue",
                            occurred_on=day + dt.timedelta(days=1))
    case_record_by_rule(rule_key="notice:N1", agent=a001, violation_code="notice_late",
                        occurred_on=dt.date(2026, 5, 11))
    for code, day in (("claim_noncooperation", dt.date(2026, 6, 30)),
                      ("benefit_promised", dt.date(2026, 7, 1))):
        case = case_draft(agent=a001, violation_code=code, occurred_on=day, source="audit",
                          by=officer, evidence="见调查报告", found_on=day)
        case_confirm(case=case, by=officer)
    case_draft(agent=a001, violation_code="forged_signature", occurred_on=dt.date(2026, 3, 13),
               source="callback", by=company.users.operator, policy=company.policies["P1"],
               found_on=dt.date(2026, 3, 13))
    agents = Agent.objects.filter(pk=a001.pk)
    [(agent, score)] = half_year_scores("2026H1", as_of=dt.date.today(), agents=agents)
    return agent, score


@pytest.fixture
def letter(company):
    agent, score = worked_example(company)
    assert (str(score.points), score.cases, score.standing) == ("15.5", 14, "failed")
    pdf = warning_letter_pdf(agent=agent, period="2026H1", score=score, issued_on=ISSUED,
                             unit=None)
    return agent, score, pdf


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_the_letter_is_a_pdf_naming_the_branch(letter):
    _, _, pdf = letter
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")


@needs_poppler
def test_the_letter_says_who_what_and_what_follows(letter, tmp_path):
    agent, score, pdf = letter
    text = pdf_text(pdf, tmp_path)
    flat = "".join(text.split())
    for expected in ("广东分公司", "警告函", "张伟", "A001", "2026年上半年", "15.5", "不合格",
                     "超期未回销有价单证", "函件、问题件", "理赔调查中不配合", "2026-06-30",
                     "补训", "不予晋升", "取消群英会参选资格", "不予维持", "申诉", "10日内",
                     "代理人签收", "2026年7月6日"):
        assert expected in flat, expected
    assert "解除代理合同审议" not in flat  # not a consequence of `failed`
    assert "承诺给予" not in flat  # the H2 case is not in H1's letter
    assert "代签名" not in flat  # a draft does not count
    assert flat.count("超期未回销有价单证") == 12


@needs_poppler
def test_the_page_is_drawn_not_blank(letter, tmp_path):
    _, _, pdf = letter
    (tmp_path / "letter.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(tmp_path / "letter.pdf"),
                    str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages
    image = Image.open(pages[0]).convert("L")
    dark = sum(image.histogram()[:128])
    assert dark > 0.01 * image.width * image.height  # text, the table and the letterhead


def test_a_truetype_cjk_font_is_embedded_when_installed(letter):
    _, _, pdf = letter
    if letters.letter_font() != "PinzhiCJK":
        pytest.skip("no TrueType CJK font here (fonts-wqy-zenhei): the CID fallback is used")
    assert b"/FontFile2" in pdf  # the glyphs travel with the letter


def test_without_a_truetype_font_the_cid_font_is_used(company, monkeypatch):
    agent, score = worked_example(company)
    monkeypatch.setattr(letters, "FONT_CANDIDATES", ())
    monkeypatch.delenv("PINZHI_LETTER_FONT", raising=False)
    letters.letter_font.cache_clear()
    try:
        pdf = warning_letter_pdf(agent=agent, period="2026H1", score=score,
                                 issued_on=ISSUED, unit=company.units["GZ"])
    finally:
        letters.letter_font.cache_clear()
    assert pdf.startswith(b"%PDF-") and b"STSong-Light" in pdf


def test_a_long_list_of_cases_runs_over_pages(company, tmp_path):
    a003 = company.agents["A003"]
    for n in range(60):
        case_record_by_rule(rule_key=f"document:L{n:03}", agent=a003,
                            violation_code="documents_overdue",
                            occurred_on=dt.date(2026, 1, 2) + dt.timedelta(days=n))
    [(agent, score)] = half_year_scores("2026H1", as_of=dt.date.today(),
                                        agents=Agent.objects.filter(pk=a003.pk))
    assert score.standing == "termination" and score.points_tenths == 1100
    pdf = warning_letter_pdf(agent=agent, period="2026H1", score=score, issued_on=ISSUED,
                             unit=company.units["GD"])
    if POPPLER:
        flat = "".join(pdf_text(pdf, tmp_path).split())
        assert "共2页" in flat or "共3页" in flat
        assert "解除代理合同审议" in flat and "建议解除代理合同" in flat
