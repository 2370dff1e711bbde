"""The warning letter (警告函, rules §7.5): a PDF in Chinese the branch prints or sends.

`warning_letter_pdf(agent=…, period="2026H1", score=…, issued_on=…, unit=…)` takes the
agent's half-year `Score` (quality.scores / quality.scoring) and lists the cases that
count in it with the points they cost there (tiered documents included).

The PDF embeds a TrueType CJK font so that it shows the same everywhere: the first of
PINZHI_LETTER_FONT (a .ttf/.ttc path, optionally `path#index`) and the usual Debian
locations (fonts-wqy-zenhei, fonts-wqy-microhei, fonts-arphic-uming, fonts-droid-fallback)
that exists. Without one it falls back to reportlab's built-in CID font STSong-Light,
which is not embedded: readers without Adobe's Chinese font pack substitute their own.
Noto CJK (OpenType/CFF) cannot be embedded by reportlab, so it is not a candidate.
"""

import datetime as dt
import io
import os
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.fonts import addMapping
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    HRFlowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from pinzhi.core import parameters

from .models import Case
from .scoring import half_year_bounds, points

FONT_CANDIDATES = (
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
)
FALLBACK_FONT = "STSong-Light"

STANDING_ZH = {
    "good": "良好",
    "warned": "警告",
    "restricted": "限制",
    "failed": "不合格",
    "termination": "建议解除代理合同",
}
# (name, what it means for the agent), in the order of rules §7.6.
CONSEQUENCE_ZH = {
    "warning_letter": ("警告函", "发出本警告函，予以书面警告"),
    "remedial_training": ("补训", "参加所违反制度的补训，补训合格前不得单独展业"),
    "no_promotion": ("不予晋升", "本考核周期晋升考核不予通过"),
    "no_club": ("取消群英会参选资格", "本考核周期不具备群英会参选资格"),
    "no_maintenance": ("不予维持", "本考核周期维持考核不予通过"),
    "termination_review": ("解除代理合同审议", "由分公司审议是否解除你的保险代理合同"),
}


def chinese_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def period_zh(period: str) -> str:
    """2026H1 → 2026年上半年（2026年1月1日至2026年6月30日）."""
    start, end = half_year_bounds(period)
    half = "上" if period.upper().endswith("H1") else "下"
    return f"{start.year}年{half}半年（{chinese_date(start)}至{chinese_date(end)}）"


@cache
def letter_font() -> str:
    """The registered name of the font of letters: an embedded TrueType CJK font if one
    is installed, else reportlab's CID font STSong-Light."""
    candidates = list(FONT_CANDIDATES)
    configured = os.environ.get("PINZHI_LETTER_FONT", "")
    if configured:
        path, _, index = configured.partition("#")
        candidates.insert(0, (path, int(index or 0)))
    for path, index in candidates:
        if os.path.isfile(path):
            try:
                pdfmetrics.registerFont(TTFont("PinzhiCJK", path, subfontIndex=index))
            except Exception:  # not TrueType outlines (e.g. CFF): try the next one
                continue
            return _one_face("PinzhiCJK")
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK_FONT))
    return _one_face(FALLBACK_FONT)


def _one_face(name: str) -> str:
    """CJK fonts come without bold: <b> in a paragraph uses the same face."""
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(name, bold, italic, name)
    return name


def branch_of(agent):
    """The branch (分公司) above the agent's team: the letter's issuer by default."""
    from pinzhi.org.models import Unit

    codes = [c for c in agent.team.path.split("/") if c]
    return (Unit.objects.filter(code__in=codes, level="branch").first()
            or Unit.objects.filter(code__in=codes).order_by("path").first())


def counting_cases(score) -> list[tuple[Case, int]]:
    """The cases that count in the score, in the order they occurred, with their points."""
    cases = Case.objects.filter(case_no__in=list(score.case_points)).select_related(
        "version", "type").order_by("occurred_on", "case_no")
    return [(case, score.case_points[case.case_no]) for case in cases]


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=font, fontSize=11, leading=16, wordWrap="CJK",
                          firstLineIndent=0)
    return {
        "body": base,
        "indent": ParagraphStyle("indent", parent=base, firstLineIndent=22),
        "item": ParagraphStyle("item", parent=base, leftIndent=22, firstLineIndent=-0),
        "head": ParagraphStyle("head", parent=base, fontSize=20, leading=26,
                               alignment=TA_CENTER, textColor=colors.HexColor("#b00000")),
        "sub": ParagraphStyle("sub", parent=base, fontSize=10, leading=14,
                              alignment=TA_CENTER, textColor=colors.HexColor("#b00000")),
        "title": ParagraphStyle("title", parent=base, fontSize=22, leading=26,
                                alignment=TA_CENTER, spaceBefore=6, spaceAfter=2),
        "number": ParagraphStyle("number", parent=base, fontSize=10, alignment=TA_CENTER),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9.5, leading=12),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
    }


def _case_table(rows, st) -> Table:
    cell = st["cell"]
    data = [[Paragraph(h, cell) for h in ("序号", "案件编号", "发生日期", "违规事项", "扣分")]]
    for n, (case, tenths) in enumerate(rows, start=1):
        name = case.version.name_zh if case.version else case.type.code
        data.append([Paragraph(str(n), cell), Paragraph(escape(case.case_no), cell),
                     Paragraph(case.occurred_on.isoformat(), cell),
                     Paragraph(escape(name), cell), Paragraph(f"{points(tenths)}", cell)])
    table = Table(data, colWidths=[12 * mm, 34 * mm, 24 * mm, 84 * mm, 14 * mm],
                  repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def _signature(unit, issued_on: dt.date, st) -> Table:
    """The signature line: who signs on the left, the issuing unit's seal and date right."""
    table = Table([[Paragraph("负责人签字：________________", st["body"]),
                    Paragraph(f"{escape(unit.name)}（盖章）", st["right"])],
                   ["", Paragraph(chinese_date(issued_on), st["right"])]],
                  colWidths=["50%", "50%"])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, 0), 14)]))
    return table


def _footer(number: str, font: str):
    class NumberedCanvas(pdfcanvas.Canvas):
        """Writes 第 n 页 共 m 页 once the number of pages is known."""

        def __init__(self, *args, **kwargs):
            kwargs.setdefault("initialFontName", font)  # no stray non-embedded Helvetica
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setFont(font, 8.5)
                self.setFillColor(colors.grey)
                self.drawString(20 * mm, 12 * mm, number)
                self.drawRightString(A4[0] - 20 * mm, 12 * mm,
                                     f"第 {self._pageNumber} 页 共 {total} 页")
                super().showPage()
            super().save()

    return NumberedCanvas


def warning_letter_pdf(*, agent, period: str, score, issued_on: dt.date, unit=None) -> bytes:
    """The warning letter of `agent` for the half-year `period` (e.g. "2026H1"), as PDF.

    `score`: his `scoring.Score` of that half-year (points, cases, standing, consequences,
    case_points). `unit`: the issuing unit, normally the agent's branch (its name heads
    the letter); None: the branch above the agent's team. `issued_on`: the letter's date.
    """
    period = period.upper()
    unit = unit or branch_of(agent)
    font = letter_font()
    st = _styles(font)
    number = f"编号：{unit.code}-{period}-{agent.code}"
    standing = STANDING_ZH.get(score.standing, score.standing)
    rows = counting_cases(score)
    window = parameters.value("quality.appeal_window_days", on=issued_on, unit=agent.team)
    e = escape

    story = [
        Paragraph(e(unit.name), st["head"]),
        Paragraph("业务品质管理", st["sub"]),
        HRFlowable(width="100%", thickness=1.6, color=colors.HexColor("#b00000"),
                   spaceBefore=4, spaceAfter=1),
        HRFlowable(width="100%", thickness=0.5, color=colors.HexColor("#b00000"),
                   spaceAfter=8),
        Paragraph("警告函", st["title"]),
        Paragraph(e(number), st["number"]),
        Spacer(1, 4),
        Paragraph(f"{e(agent.name)}（工号：{e(agent.code)}，{e(agent.team.name)}）：",
                  st["body"]),
        Paragraph(
            f"经核查，截至{chinese_date(issued_on)}，你在{period_zh(period)}的业务品质考核中"
            f"共有计分案件 {score.cases} 件，累计扣分 <b>{score.points}</b> 分，"
            f"考核结果为“<b>{e(standing)}</b>”。计分案件如下：", st["indent"]),
        Spacer(1, 4),
        _case_table(rows, st),
        Spacer(1, 4),
        Paragraph("依据公司业务品质考核标准，对你作出如下处理：", st["indent"]),
    ]
    for n, code in enumerate(score.consequences, start=1):
        name, meaning = CONSEQUENCE_ZH.get(code, (code, ""))
        end = "。" if n == len(score.consequences) else "；"
        story.append(Paragraph(f"{n}. {e(name)}：{e(meaning)}{end}", st["item"]))
    story += [
        Spacer(1, 2),
        Paragraph(
            f"如对上述案件有异议，你可自被告知该案件之日起 {window} 日内，通过品质系统"
            "“我的案件”提出申诉。申诉由确认该案件以外的审核人员复核；申诉期间该案件继续计分，"
            "申诉成立、案件被撤销的，其扣分不再计入。", st["indent"]),
        Paragraph("请你引以为戒，严格遵守公司各项业务管理规定，依法合规展业。", st["indent"]),
        Paragraph("特此函告。", st["indent"]),
        Spacer(1, 4),
        KeepTogether([
            _signature(unit, issued_on, st),
            Spacer(1, 10),
            HRFlowable(width="100%", thickness=0.5, color=colors.grey, dash=(2, 2),
                       spaceAfter=6),
            Paragraph("本人已收到本警告函并知悉上述内容及申诉权利。", st["body"]),
            Spacer(1, 6),
            Paragraph("代理人签收：________________　　日期：______年____月____日",
                      st["body"]),
        ]),
    ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=15 * mm,
        bottomMargin=18 * mm, title=f"警告函 {agent.name} {period}", author=unit.name,
        subject=f"{agent.code} {period}", creator="Pinzhi", invariant=True)
    doc.build(story, canvasmaker=_footer(number, font))
    return buffer.getvalue()
