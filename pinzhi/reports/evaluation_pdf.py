"""The quality evaluation report (质量评估报告) as a Chinese A4 PDF: indicators against
objectives, the trend by month and the children as charts (reportlab's own graphics: no
browser, no image library), the most frequent violations, and the agents at each standing.

Labels are the dashboard's, printed under `translation.override("zh-hans")`; the font is
the quality letters' embedded TrueType CJK font (quality.letters.letter_font).
"""

import io
from xml.sax.saxutils import escape

from django.utils import timezone, translation
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table

from pinzhi.core.pdf import grid, styles
from pinzhi.quality.letters import STANDING_ZH, letter_font

from .dashboard import CHART
from .evaluation import STANDINGS, EvaluationReport

SERIES = (colors.HexColor("#2f6db5"), colors.HexColor("#e08a1e"), colors.HexColor("#3a9a5b"))
MET_ZH = {True: "达成", False: "未达成", None: "—"}
MISSED = "#b42318"
CHILD_COLUMNS = ("policies", "callback_success_rate", "receipt_on_time_rate",
                 "persistency_13m", "points_per_100_agents")


def period_zh(label: str) -> str:
    if label.endswith("H1"):
        return f"{label[:4]}年上半年"
    if label.endswith("H2"):
        return f"{label[:4]}年下半年"
    return f"{label}年度"


def shown(value) -> str:
    return "—" if value is None else str(value)


def evaluation_pdf(report: EvaluationReport) -> bytes:
    from .views import LABELS

    font = letter_font()
    st = styles(font)
    with translation.override("zh-hans"):
        labels = {code: str(label) for code, label in LABELS.items()}
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                            topMargin=16 * mm, bottomMargin=16 * mm,
                            title=f"{report.unit.name}业务品质评估报告 {report.label}",
                            author="品质管理系统")
    as_of = timezone.localtime(report.as_of).strftime("%Y-%m-%d %H:%M")
    story = [
        Paragraph(escape(f"{report.unit.name}业务品质评估报告"), st["title"]),
        Paragraph(escape(f"{period_zh(report.label)}（{report.period.first} 至 "
                         f"{report.period.last}） · 数据截至 {as_of}"), st["sub"]),
        Spacer(1, 4 * mm),
        Paragraph("一、主要指标", st["h2"]), _figures(report, labels, st),
        Paragraph("二、月度趋势", st["h2"]), _trend_chart(report, labels, font),
    ]
    if report.children:
        story += [Paragraph("三、下级机构对比", st["h2"]), _children(report, labels, st),
                  Spacer(1, 2 * mm), _children_chart(report, labels, font)]
    story += [Paragraph("四、主要违规行为", st["h2"]), _violations(report, st)]
    story += [Paragraph("五、业务员品质状况", st["h2"])]
    for standing in report.standings:
        story.append(KeepTogether(_standings(standing, st)))
    doc.build(story)
    return buffer.getvalue()


def _table(rows, widths, st, numeric_from=1, extra=()):
    data = [[v if isinstance(v, Paragraph) else Paragraph(
        escape(str(v)), st["cell"] if r == 0 or c < numeric_from else st["num"])
        for c, v in enumerate(row)] for r, row in enumerate(rows)]
    return grid(Table(data, colWidths=widths, repeatRows=1), st["font"], extra)


def _figures(report, labels, st):
    rows = [["指标", "本期", "目标", "是否达成"]]
    for code, value, target, met in report.figures:
        verdict = MET_ZH[met] if met is not False else Paragraph(
            f'<font color="{MISSED}">{MET_ZH[met]}</font>', st["num"])
        rows.append([labels[code], shown(value), "" if target is None else f"≥ {target}",
                     verdict])
    return _table(rows, [70 * mm, 35 * mm, 35 * mm, 34 * mm], st)


def _legend(font, names, x, y):
    legend = Legend()
    legend.x, legend.y, legend.fontName, legend.fontSize = x, y, font, 8
    legend.alignment, legend.columnMaximum, legend.deltax = "right", 1, 110
    legend.colorNamePairs = list(zip(SERIES, names, strict=False))
    return legend


def _trend_chart(report, labels, font):
    """Each rate by month; a month with nothing to measure is left out, not drawn as 0,
    and a rate measured in one month only is a dot."""
    months = [m.strftime("%Y-%m") for m, _ in report.trend]
    drawing = Drawing(174 * mm, 62 * mm)
    chart = LinePlot()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 10 * mm, 158 * mm, 42 * mm
    chart.data = [[(i, float(f[c])) for i, (_m, f) in enumerate(report.trend)
                   if f[c] is not None] or [(0, 0)] for c in CHART]
    x, y = chart.xValueAxis, chart.yValueAxis
    x.valueMin, x.valueMax, x.valueSteps = -0.5, len(months) - 0.5, list(range(len(months)))
    x.labelTextFormat = lambda i: months[int(i)] if 0 <= i < len(months) else ""
    y.valueMin, y.valueMax, y.valueStep = 0, 1, 0.2
    for axis in (x, y):
        axis.labels.fontName, axis.labels.fontSize = font, 7
    for i, color in enumerate(SERIES):
        measured = [f[CHART[i]] for _, f in report.trend if f[CHART[i]] is not None]
        chart.lines[i].strokeColor = color if len(measured) > 1 else None
        chart.lines[i].strokeWidth = 1.5
        chart.lines[i].symbol = makeMarker("FilledCircle", size=3, fillColor=color,
                                           strokeColor=color) if measured else None
    drawing.add(chart)
    drawing.add(_legend(font, [labels[c] for c in CHART], 12 * mm, 60 * mm))
    return drawing


def _children(report, labels, st):
    rows = [["机构", *(labels[c] for c in CHILD_COLUMNS)]]
    for child, figures in report.children:
        rows.append([child.name, *(shown(figures[c]) for c in CHILD_COLUMNS)])
    return _table(rows, [38 * mm] + [27 * mm] * len(CHILD_COLUMNS), st)


def _children_chart(report, labels, font):
    drawing = Drawing(174 * mm, 58 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 12 * mm, 10 * mm, 158 * mm, 38 * mm
    chart.data = [[float(f[c]) if f[c] is not None else 0 for _, f in report.children]
                  for c in CHART]
    chart.categoryAxis.categoryNames = [child.name for child, _ in report.children]
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 1, 0.2
    for i, color in enumerate(SERIES):
        chart.bars[i].fillColor = color
    drawing.add(chart)
    drawing.add(_legend(font, [labels[c] for c in CHART], 12 * mm, 56 * mm))
    return drawing


def _violations(report, st):
    if not report.violations:
        return Paragraph("本期无计分违规案件。", st["body"])
    rows = [["序号", "违规行为", "案件数", "涉及业务员"]]
    for i, (_code, name, cases, agents) in enumerate(report.violations, start=1):
        rows.append([i, name, cases, agents])
    return _table(rows, [14 * mm, 110 * mm, 25 * mm, 25 * mm], st, numeric_from=2)


def _standings(standing, st):
    counts = "，".join(f"{STANDING_ZH.get(s, s)} {standing.counts.get(s, 0)} 人"
                      for s in STANDINGS)
    parts = [Paragraph(escape(f"{period_zh(standing.half_year)}：{counts}"), st["body"]),
             Spacer(1, 2 * mm)]
    if standing.listed:
        rows = [["工号", "姓名", "团队", "品质状况", "扣分"]]
        rows += [[code, name, team, STANDING_ZH.get(s, s), points]
                 for code, name, team, s, points in standing.listed]
        parts.append(_table(rows, [28 * mm, 30 * mm, 64 * mm, 30 * mm, 22 * mm], st,
                            numeric_from=4))
    if standing.more:
        parts.append(Paragraph(escape(f"另有 {standing.more} 人未列出。"), st["body"]))
    parts.append(Spacer(1, 3 * mm))
    return parts
