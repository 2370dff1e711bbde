"""The indicators dashboard (issue 7): thin; figures from `dashboard`, rows through
`restrict(user)`."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pinzhi.accounts.models import Role
from pinzhi.core.importing.parsers import date
from pinzhi.org.models import Unit

from . import indicators as ind
from . import snapshot
from .dashboard import CHART, dashboard, months_within

STAFF = Role.SETTLEMENT_VIEW | {Role.OPERATOR, Role.CLERK}
PAGE = 100  # agents on a page of the promotion feed
LABELS = {
    "policies": _("Policies"), "premium": _("Premium"), "commission": _("Commission"),
    "callbacks_due": _("Callbacks due"),
    "callback_first_round_rate": _("Callback success in round 1"),
    "callback_success_rate": _("Callback success"),
    "callback_in_time_rate": _("Callback success in the cooling-off period"),
    "receipts_due": _("Receipts due"), "receipt_collection_rate": _("Receipts collected"),
    "receipt_on_time_rate": _("Receipts on time"), "persistency_13m": _("13-month persistency"),
    "agents": _("Agents"), "cases": _("Cases"), "points": _("Points"),
    "points_per_100_agents": _("Points per 100 agents"), "withheld": _("Withheld"),
    "deducted": _("Deducted"), "forfeited": _("Forfeited"), "satisfaction": _("Satisfaction"),
    "complaints": _("Complaints"),
    "complaints_per_1000_policies": _("Complaints per 1,000 policies"),
    "training_hours": _("Training hours"), "remedial_due": _("Remedial trainings due"),
    "remedial_on_time_rate": _("Remedial training done on time"),
    "remedial_overdue": _("Remedial trainings overdue"),
    "findings_due": _("Inspection findings due"),
    "rectification_on_time_rate": _("Findings rectified on time"),
    "findings_overdue": _("Rectifications overdue"),
}

# The promotion feed's columns on its page (the export and the API keep the codes).
FEED_LABELS = {
    "period": _("Half-year"), "agent_code": _("Agent code"), "agent_name": _("Agent"),
    "unit_code": _("Team"), "points": _("Points"), "standing": _("Standing"),
    "quality_passed": _("Quality passed"), "receipt_target_met": _("Receipt objective met"),
    "callback_target_met": _("Callback objective met"),
    "persistency_target_met": _("Persistency objective met"),
    "promotion_eligible": _("Eligible for promotion"),
    "maintenance_passed": _("Maintenance passed"), "club_eligible": _("Eligible for the club"),
}
# Counts that stand out whenever they are not zero: work past its deadline (issue 8).
ALARMS = frozenset({"remedial_overdue", "findings_overdue"})


@login_required
def indicators(request):
    user = request.user
    if not user.has_role(STAFF):
        raise PermissionDenied
    units = Unit.objects.restrict(user).live()
    code = request.GET.get("unit")
    unit = get_object_or_404(units, code=code) if code else units.order_by("path").first()
    if unit is None:
        raise PermissionDenied
    snap = snapshot.current()
    months = months_within(snap, month_param(request.GET.get("from")),
                           month_param(request.GET.get("to")))
    board = dashboard(unit, months, user, snap)
    return render(request, "reports/indicators.html", {
        "board": board, "chart": chart_data(board), "labels": LABELS, "alarms": ALARMS,
        "from": months[0], "to": months[-1], "stale": snapshot.is_stale(snap),
        "report_periods": report_periods(timezone.localdate()),
        "rows": [(LABELS[f.code], f) for f in board.figures],
        "columns": [(c, LABELS[c]) for c in CHART],
        "children": [(r, [r.figures[c] for c in CHART]) for r in board.children],
        "agents": [(r, [r.figures[c] for c in CHART]) for r in board.agents]})


def report_periods(today) -> list[str]:
    """What the report form offers: this half-year and the three before, this year and
    the last."""
    year, second = today.year, today.month > 6
    halves = [f"{year}H2"] if second else []
    halves += [f"{year}H1", f"{year - 1}H2", f"{year - 1}H1", f"{year - 2}H2"]
    return halves[:4] + [str(year), str(year - 1)]


def month_param(text: str | None):
    """`2026-01` or a day of it (`2026-01-15`); None when empty or not a month."""
    if not text:
        return None
    try:
        return date(text if len(text) > 7 else f"{text}-01").replace(day=1)
    except ValueError:
        return None


def chart_data(board) -> dict:
    """The two charts' data: each child's rates, and the unit's by month."""
    def number(value):
        return None if value is None else float(value)

    return {"codes": list(CHART), "labels": [str(LABELS[c]) for c in CHART],
            "units": [{"code": r.code, "values": [number(r.figures[c]) for c in CHART]}
                      for r in board.children],
            "months": [m.strftime("%Y-%m") for m, _ in board.trend],
            "trend": [[number(figures[c]) for _, figures in board.trend] for c in CHART]}


@login_required
def promotion(request):
    """The promotion and maintenance feed of a half-year, for the agents in scope, a page
    of them at a time; their figures from the precomputed ones (the export and the API
    compute them from the facts, as of any day)."""
    from django.core.paginator import Paginator

    from pinzhi.org.models import Agent
    from pinzhi.quality.scores import agents_of_half_year
    from pinzhi.quality.scoring import half_year_bounds, half_year_of

    from .promotion import HEADER, promotion_rows

    if not request.user.has_role(STAFF):
        raise PermissionDenied
    today = timezone.localdate()
    period = request.GET.get("period") or half_year_of(today)
    try:
        bounds = half_year_bounds(period)
    except ValueError:
        period = half_year_of(today)
        bounds = half_year_bounds(period)
    agents = agents_of_half_year(period, Agent.objects.restrict(request.user))
    page = Paginator(agents.order_by("code").values_list("pk", flat=True), PAGE).get_page(
        request.GET.get("page"))
    ids = list(page.object_list)
    snap = snapshot.current()
    figures = snapshot.agents_over(
        snap, ids, snapshot.months_so_far(snap, ind.Period(*bounds), today))
    rows = sorted(promotion_rows(period, today, agents=Agent.objects.filter(pk__in=ids),
                                 figures=figures), key=lambda row: row[1])
    return render(request, "reports/promotion.html",
                  {"period": period.upper(), "header": [FEED_LABELS[c] for c in HEADER[1:]],
                   "rows": rows,
                   "page": page, "as_of": snap.as_of})


@login_required
def evaluation_report_pdf(request):
    """The quality evaluation report of a unit in the user's scope for a half-year or a
    year (`period`: 2026H1 or 2026; default the current half-year), as a PDF."""
    from django.http import HttpResponse

    from pinzhi.quality.scoring import half_year_of

    from .evaluation import evaluation_report, report_period
    from .evaluation_pdf import evaluation_pdf

    if not request.user.has_role(STAFF):
        raise PermissionDenied
    unit = get_object_or_404(Unit.objects.restrict(request.user).live(),
                             code=request.GET.get("unit", ""))
    period = request.GET.get("period") or half_year_of(timezone.localdate())
    try:
        label = report_period(period)[0]
    except ValueError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    pdf = evaluation_pdf(evaluation_report(unit, label))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="quality-report-{unit.code}-{label}.pdf"')
    return response
