"""The quality evaluation report (质量评估报告) of the examples' branch for 2026H1: its
figures are the indicators' own, its most frequent violations and standings are the
cases', and the PDF renders to a page of Chinese with every glyph in the embedded font."""

import datetime as dt
import shutil
import subprocess
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from pinzhi.reports import indicators as ind
from pinzhi.reports.evaluation import evaluation_report, report_period
from pinzhi.reports.evaluation_pdf import evaluation_pdf
from pinzhi.reports.exports import figures
from pinzhi.reports.reading import tallies, unit_tally
from pinzhi.settlement.rules import SHANGHAI

AS_OF = dt.datetime(2026, 6, 1, 9, tzinfo=SHANGHAI)
H1 = ind.Period(dt.date(2026, 1, 1), dt.date(2026, 6, 30))
POPPLER = shutil.which("pdftoppm") and shutil.which("pdftotext")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils not installed "
                                   "(.ci/run installs it)")


@pytest.mark.parametrize(("text", "label", "first", "last", "halves"), [
    ("2026H1", "2026H1", dt.date(2026, 1, 1), dt.date(2026, 6, 30), ["2026H1"]),
    ("2025h2", "2025H2", dt.date(2025, 7, 1), dt.date(2025, 12, 31), ["2025H2"]),
    ("2026", "2026", dt.date(2026, 1, 1), dt.date(2026, 12, 31), ["2026H1", "2026H2"]),
])
def test_the_periods_of_a_report(text, label, first, last, halves):
    assert report_period(text) == (label, ind.Period(first, last), halves)


@pytest.mark.parametrize("text", ["2026Q1", "26H1", "2026H3", ""])
def test_other_periods_are_refused(text):
    with pytest.raises(ValueError, match="half-year or a year"):
        report_period(text)


@pytest.fixture
def report(spring):
    return evaluation_report(spring.units["GD"], "2026H1", AS_OF)


def test_its_figures_are_the_indicators_own(spring, report):
    expected = figures(unit_tally(spring.units["GD"].path, tallies(H1, AS_OF)))
    assert {code: value for code, value, _t, _m in report.figures} == expected
    assert [m for m, _ in report.trend] == ind.months_of(H1)
    assert [child.code for child, _ in report.children] == ["GZ", "SZ"]
    callback = next(f for f in report.figures if f[0] == "callback_success_rate")
    assert callback[2] == Decimal("0.95")  # head office's objective


def test_the_most_frequent_violations_and_the_standings(spring, report):
    # K1 and K2 confirmed (K3 a draft); the receipts of E2 and E8 came back late
    names = {code: (name, cases, agents) for code, name, cases, agents in report.violations}
    assert names["receipt_not_returned"][1:] == (2, 1)
    assert names["claim_noncooperation"][1:] == (1, 1)
    assert "benefit_promised" in names and names["benefit_promised"][1] == 1
    assert report.violations[0][0] == "receipt_not_returned"  # most cases first
    [h1] = report.standings
    assert h1.half_year == "2026H1" and sum(h1.counts.values()) == 4
    assert h1.more == 0 and all(row[3] != "good" for row in h1.listed)


@needs_poppler
def test_the_pdf_is_chinese_with_every_glyph_in_its_font(spring, report, tmp_path,
                                                          screenshots):
    from reportlab.pdfbase import pdfmetrics

    from pinzhi.quality.letters import letter_font

    pdf = evaluation_pdf(report)
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    flat = "".join(text.split())
    for expected in ("广东分公司业务品质评估报告", "2026年上半年", "主要指标", "回访成功率",
                     "月度趋势", "下级机构对比", "主要违规行为", "理赔调查中不配合",
                     "业务员品质状况", "良好"):
        assert expected in flat, expected
    font = letter_font()
    if font == "PinzhiCJK":  # an embedded TrueType font: each character has its glyph
        assert b"/FontFile2" in pdf
        cmap = pdfmetrics.getFont(font).face.charToGlyph
        missing = {ch for ch in flat if ord(ch) not in cmap}
        assert not missing, missing
    subprocess.run(["pdftoppm", "-r", "70", "-png", str(path), str(tmp_path / "page")],
                   check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    image = Image.open(pages[0]).convert("L")
    assert sum(image.histogram()[:128]) > 0.01 * image.width * image.height  # drawn
    shutil.copy(pages[0], screenshots / "evaluation-report.png")


def test_the_command_writes_the_pdf(spring, tmp_path):
    out = StringIO()
    call_command("report", "quality", "2026H1", "--unit", "GD", "--out",
                 str(tmp_path / "r.pdf"), "--as-of", "2026-06-01T09:00:00", stdout=out)
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF-")
    assert "GD 2026H1" in out.getvalue()
    with pytest.raises(CommandError, match="half-year or a year"):
        call_command("report", "quality", "2026Q1", "--out", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="no such unit"):
        call_command("report", "quality", "2026H1", "--unit", "XX", "--out",
                     str(tmp_path / "x.pdf"))


def test_the_page_gives_the_report_of_a_unit_in_scope(spring):
    from django.test import Client

    def signed_in(username):
        c = Client()
        c.force_login(getattr(spring.users, username))
        return c

    hq = signed_in("hq")
    board = hq.get("/indicators/?unit=GD").content.decode()
    assert 'action="/indicators/report.pdf"' in board and '<option value="2026H1">' in board
    page = hq.get("/indicators/report.pdf?unit=GD&period=2026H1")
    assert page.status_code == 200 and page["Content-Type"] == "application/pdf"
    assert page.content.startswith(b"%PDF-")
    assert hq.get("/indicators/report.pdf?unit=GD&period=2026Q1").status_code == 400
    assert signed_in("officer_sz").get("/indicators/report.pdf?unit=GZ").status_code == 404
    assert signed_in("agent").get("/indicators/report.pdf?unit=GD").status_code == 403


def test_the_periods_the_form_offers():
    from pinzhi.reports.views import report_periods

    assert report_periods(dt.date(2026, 11, 26)) == [
        "2026H2", "2026H1", "2025H2", "2025H1", "2026", "2025"]
    assert report_periods(dt.date(2026, 3, 1)) == [
        "2026H1", "2025H2", "2025H1", "2024H2", "2026", "2025"]
