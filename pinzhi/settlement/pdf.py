"""The agent's commission statement (佣金结算单) of a month, as a Chinese A4 PDF.

`statement_pdf(statement)` takes a `statements.Statement` (closed, draft or forecast)
and prints the company and branch, who and which month, the cutoff, the month's totals
in the interfaces' columns, every line by policy with its reasons, and what releases
each withheld policy. The hints are printed as the statement carries them: build it
under `translation.override("zh-hans")` for Chinese ones (views._pdf_response does).

The font is the quality letters' (quality.letters.letter_font): an embedded TrueType CJK
font when one is installed, so the statement shows the same on every reader.
"""

import io
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import HRFlowable, Paragraph, SimpleDocTemplate, Spacer, Table

from pinzhi.core.money import format_yuan
from pinzhi.core.pdf import HEAD, grid, styles
from pinzhi.quality.letters import branch_of, letter_font

from . import rules

COLUMN_ZH = {"accrued": "本月入账", "paid": "发放", "deducted": "扣佣", "recovered": "追回",
             "adjusted": "调整", "forfeited": "扣发", "cancelled": "撤单", "withheld": "缓发",
             "net": "实发净额"}
ACTION_ZH = {rules.PAY: "发放", rules.DEDUCT: "扣佣", rules.RECOVER: "追回",
             rules.ADJUST: "调整", rules.WITHHOLD: "缓发", rules.FORFEIT: "扣发",
             rules.CANCEL: "撤单"}
REASON_ZH = {rules.RECEIPT_MISSING: "回执未回销", rules.CALLBACK_PENDING: "回访未成功",
             rules.CALLBACK_AWAITING_MANUAL: "待人工回访", rules.FINDING_OPEN: "回访问题待处理",
             rules.RECEIPT_LATE: "回执逾期回销", rules.PHONE_CHANGED: "人工回访发现电话变更"}
KIND_ZH = {"closed": "已结算", "draft": "草稿（未结算，以结算后为准）",
           "forecast": "预测（截止前，如情况不变）"}
WITHHELD = colors.HexColor("#fff4d6")


def reasons_zh(action: str, reasons: str) -> str:
    """The reasons of a line in Chinese; an adjustment's is the text written for it."""
    if action == rules.ADJUST:
        return reasons
    return "、".join(REASON_ZH.get(r, r) for r in reasons.split(";") if r)


def _company_line(agent) -> str:
    """The head office and the branch above the agent's team, e.g. 总公司 广东分公司."""
    from pinzhi.org.models import Unit

    codes = [c for c in agent.team.path.split("/") if c]
    head = Unit.objects.filter(code__in=codes, level="hq").first()
    branch = branch_of(agent)
    names = [u.name for u in (head, branch) if u is not None]
    return "　".join(dict.fromkeys(names))  # one name once, when the branch is the top


def _who(statement, st) -> Table:
    agent, cell = statement.agent, st["cell"]
    cutoff = timezone.localtime(statement.cutoff).strftime("%Y-%m-%d %H:%M")
    rows = [["工号", agent.code, "姓名", agent.name],
            ["所属团队", agent.team.name, "结算月份", statement.label],
            ["截止时点", f"{cutoff}（此前发生的事项计入本月）", "状态",
             KIND_ZH.get(statement.kind, statement.kind)]]
    data = [[Paragraph(escape(str(v)), cell) for v in row] for row in rows]
    table = Table(data, colWidths=[20 * mm, 72 * mm, 20 * mm, 58 * mm])
    return grid(table, st["font"], [("BACKGROUND", (0, 0), (-1, 0), colors.white),
                         ("BACKGROUND", (0, 0), (0, -1), HEAD),
                         ("BACKGROUND", (2, 0), (2, -1), HEAD)])


def _totals(statement, st) -> Table:
    values = statement.totals.as_dict()
    head = [Paragraph(COLUMN_ZH[c], st["cell"]) for c in rules.COLUMNS]
    body = [Paragraph(format_yuan(values[c]), st["num"]) for c in rules.COLUMNS]
    table = Table([head, body], colWidths=[170 * mm / len(rules.COLUMNS)] * len(rules.COLUMNS))
    return grid(table, st["font"], [("BACKGROUND", (-1, 1), (-1, 1), HEAD)])


def _lines(statement, st) -> Table:
    cell, num = st["cell"], st["num"]
    data = [[Paragraph(h, cell) for h in ("保单号", "项目", "金额（元）", "原因", "规则版本")]]
    shaded = []
    for item in statement.items:
        for n, (action, amount, reasons, version, _enters) in enumerate(item.lines):
            if action == rules.WITHHOLD:
                shaded.append(("BACKGROUND", (0, len(data)), (-1, len(data)), WITHHELD))
            number = (item.policy_no or "—") if n == 0 else ""
            data.append([Paragraph(escape(number), cell),
                         Paragraph(ACTION_ZH.get(action, action), cell),
                         Paragraph(format_yuan(amount), num),
                         Paragraph(escape(reasons_zh(action, reasons)), cell),
                         Paragraph(escape(version), cell)])
    table = Table(data, colWidths=[30 * mm, 16 * mm, 24 * mm, 52 * mm, 48 * mm],
                  repeatRows=1)
    return grid(table, st["font"], shaded)


def _hints(statement, st) -> list:
    story = []
    for item in statement.withheld_items:
        amount = sum(a for action, a, *_ in item.lines if action == rules.WITHHOLD)
        story.append(Paragraph(f"保单 {escape(item.policy_no)}　缓发 {format_yuan(amount)} 元",
                               st["body"]))
        for hint in item.hints:
            reason = REASON_ZH.get(hint.reason, hint.reason)
            story.append(Paragraph(f"• {escape(reason)}：{escape(hint.text)}", st["hint"]))
        story.append(Spacer(1, 3))
    return story


def _footer(statement, font: str):
    mark = f"{statement.agent.code} {statement.label}"

    def draw(canvas, doc):
        canvas.saveState()
        canvas.setFont(font, 8.5)
        canvas.setFillColor(colors.grey)
        canvas.drawString(20 * mm, 12 * mm, f"佣金结算单 {mark}")
        canvas.drawRightString(A4[0] - 20 * mm, 12 * mm, f"第 {doc.page} 页")
        canvas.restoreState()

    return draw


def statement_pdf(statement) -> bytes:
    """The statement (statements.Statement) of one agent and month, as PDF bytes."""
    agent = statement.agent
    font = letter_font()
    st = styles(font)
    story = [
        Paragraph(escape(_company_line(agent)), st["company"]),
        HRFlowable(width="100%", thickness=1.2, color=colors.HexColor("#1f3a5f"),
                   spaceBefore=3, spaceAfter=4),
        Paragraph("佣金结算单", st["title"]),
        Paragraph(f"{statement.month.year}年{statement.month.month}月", st["sub"]),
        Spacer(1, 6),
        _who(statement, st),
        Paragraph("本月合计（元）", st["h2"]),
        _totals(statement, st),
        Spacer(1, 3),
        Paragraph("实发净额 = 发放 － 扣佣 － 追回 ＋ 调整；缓发为截止时仍未发放的佣金，条件满足后"
                  "在以后月份发放。", st["cell"]),
        Paragraph("明细（按保单）", st["h2"]),
    ]
    story.append(_lines(statement, st) if statement.items
                 else Paragraph("本月无明细。", st["body"]))
    if statement.withheld_items:
        story += [Paragraph("缓发保单及处理建议", st["h2"]), *_hints(statement, st)]
    story += [Spacer(1, 8),
              Paragraph(f"打印时间：{timezone.localtime():%Y-%m-%d %H:%M}", st["cell"])]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=15 * mm,
        bottomMargin=20 * mm, title=f"佣金结算单 {agent.name} {statement.label}",
        author=_company_line(agent), subject=f"{agent.code} {statement.label}",
        creator="Pinzhi", invariant=True, initialFontName=font)
    footer = _footer(statement, font)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
