"""The settlement pages (rules §6, §8.2, §9): the branch's months, a month's totals per
agent, an agent's lines of a month, adjustments, and the agent's own statement with the
forecast of the coming cutoff, on screen and as a printable PDF.

Thin: lines and totals come from `statements` (rows through `restrict(user)`), every
change through `services`, which decide who may do what; a refusal is shown as a message
with `localized()` and nothing changed. Staff pages are for the roles that read
settlements (Role.SETTLEMENT_VIEW, 403 for others); an agent outside the user's scope is a
404, whatever the role.
"""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pinzhi.accounts.models import Role
from pinzhi.core.visibility import scope_of
from pinzhi.org.models import Agent

from . import rules, services, statements
from .forms import AdjustmentForm, ComputeForm
from .models import Action, Adjustment, DraftLine, LedgerLine, Settlement

PAGE_SIZE = 50
MONTHS_PAGE_SIZE = 30

COLUMN_LABELS = {
    "accrued": gettext_lazy("Accrued"), "paid": gettext_lazy("Paid"),
    "deducted": gettext_lazy("Deducted"), "recovered": gettext_lazy("Recovered"),
    "adjusted": gettext_lazy("Adjusted"), "forfeited": gettext_lazy("Forfeited"),
    "cancelled": gettext_lazy("Cancelled"), "withheld": gettext_lazy("Withheld"),
    "net": gettext_lazy("Net"),
}
REASON_WORDS = {
    rules.RECEIPT_MISSING: gettext_lazy("receipt not collected"),
    rules.CALLBACK_PENDING: gettext_lazy("callback not successful yet"),
    rules.CALLBACK_AWAITING_MANUAL: gettext_lazy("awaiting the manual callback"),
    rules.FINDING_OPEN: gettext_lazy("a callback finding awaits a decision"),
    rules.RECEIPT_LATE: gettext_lazy("receipt collected late"),
    rules.PHONE_CHANGED: gettext_lazy("the manual callback found the phone changed"),
}
KIND_WORDS = {"closed": gettext_lazy("closed"), "draft": gettext_lazy("draft, not final"),
              "forecast": gettext_lazy("forecast")}


# -- who ---------------------------------------------------------------------------------


def _require_staff(user) -> None:
    if not user.has_role(Role.SETTLEMENT_VIEW):
        raise PermissionDenied


def _own_agent(user) -> Agent:
    if not user.agent_id:
        raise Http404
    return Agent.objects.select_related("team").get(pk=user.agent_id)


def _agent_in_scope(user, code) -> Agent:
    """Staff who read settlements see the agents of their scope; anyone his own record."""
    agent = get_object_or_404(Agent.objects.restrict(user).select_related("team"), code=code)
    if agent.pk != user.agent_id and not user.has_role(Role.SETTLEMENT_VIEW):
        raise Http404
    return agent


# -- presenting --------------------------------------------------------------------------


def cells(totals: rules.Totals) -> list[tuple[str, str, int]]:
    """(column, label, fen) in the order of the interfaces' columns."""
    values = totals.as_dict()
    return [(c, COLUMN_LABELS[c], values[c]) for c in rules.COLUMNS]


def reason_words(action: str, reasons: str) -> str:
    """A line's reasons in words; an adjustment's reason is the text written for it."""
    if action == rules.ADJUST:
        return reasons
    return ", ".join(str(REASON_WORDS.get(r, r)) for r in reasons.split(";") if r)


def present(statement: statements.Statement) -> statements.Statement:
    """Give each policy of a statement rows a template can show."""
    for item in statement.items:
        item.rows = [{"action": action, "action_label": Action(action).label,
                      "amount": amount, "reasons": reason_words(action, reasons),
                      "version": version}
                     for action, amount, reasons, version, _enters in item.lines]
        for hint in item.hints:
            hint.words = REASON_WORDS.get(hint.reason, hint.reason)
    statement.cells = cells(statement.totals)
    statement.kind_label = KIND_WORDS.get(statement.kind, statement.kind)
    return statement


def _settlements(user):
    """The settlements the user sees, and those of a wider scope that hold his subtree:
    their status tells him whether his month is closed; their totals are not his and are
    not shown (`wide`)."""
    path = scope_of(user).unit_path
    rows = Settlement.objects.restrict(user)
    if path:
        rows = rows | services.overlapping(path).exclude(scope_path__startswith=path)
    rows = rows.select_related("unit", "computed_by", "closed_by").order_by("-month",
                                                                            "scope_path")
    return rows, path


def _decorate(settlement, user, path):
    settlement.wide = bool(path) and not settlement.scope_path.startswith(path)
    settlement.cells = [] if settlement.wide else cells(rules.Totals(**{
        k: v for k, v in settlement.totals.items() if k != "net"}))
    draft = not settlement.is_closed
    settlement.may_close = draft and services.may(user, Role.SETTLEMENT_CLOSE,
                                                  settlement.scope_path)
    settlement.may_compute = draft and services.may(user, Role.SETTLEMENT_COMPUTE,
                                                    settlement.scope_path)
    return settlement


# -- the branch's months -----------------------------------------------------------------


def _months_page(request, compute_form=None):
    user = request.user
    rows, path = _settlements(user)
    page = Paginator(rows, MONTHS_PAGE_SIZE).get_page(request.GET.get("page"))
    for settlement in page.object_list:
        _decorate(settlement, user, path)
    may_compute = user.has_role(Role.SETTLEMENT_COMPUTE)
    context = {"page": page,
               "compute_form": compute_form or (ComputeForm(user=user) if may_compute
                                                else None),
               "may_adjust": user.has_role(Role.SETTLEMENT_ADJUST),
               "coming": statements.coming_month()}
    return render(request, "settlement/months.html", context)


@never_cache
@login_required
def months(request):
    _require_staff(request.user)
    return _months_page(request)


@never_cache
@login_required
@require_POST
def compute(request):
    user = request.user
    _require_staff(user)
    form = ComputeForm(request.POST, user=user)
    if not form.is_valid():
        return _months_page(request, compute_form=form)
    month, unit = form.cleaned_data["month"], form.cleaned_data["unit"]
    try:
        done = services.settlement_compute(month=month, unit=unit, by=user)
    except services.SettlementRefused as exc:
        messages.error(request, exc.localized())
    else:
        s = done.settlement
        messages.success(request, _("Draft of %(month)s for %(scope)s computed: %(lines)s "
                                    "lines over %(policies)s policies.") % {
            "month": s.label, "scope": unit.name if unit else _("the whole company"),
            "lines": s.lines, "policies": s.policies})
    return redirect("settlement-month", month=month)


@never_cache
@login_required
def month_page(request, month):
    user = request.user
    _require_staff(user)
    rows, path = _settlements(user)
    settlements = [_decorate(s, user, path) for s in rows.filter(month=month)]
    agents = statements.per_agent(month, user=user)
    page = Paginator(agents, PAGE_SIZE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.cells = cells(row.totals)
    compute_form = None
    if user.has_role(Role.SETTLEMENT_COMPUTE):
        compute_form = ComputeForm(user=user, initial={"month": rules.month_label(month)})
    context = {"month": month, "label": rules.month_label(month), "settlements": settlements,
               "page": page, "totals": cells(statements.month_totals(agents)),
               "columns": [COLUMN_LABELS[c] for c in rules.COLUMNS],
               "cutoff": rules.cutoff_at(month), "compute_form": compute_form}
    return render(request, "settlement/month.html", context)


def _settlement_of(request, month, pk) -> Settlement:
    _require_staff(request.user)
    rows, _path = _settlements(request.user)
    return get_object_or_404(rows, pk=pk, month=month)


@login_required
@require_POST
def close(request, month, pk):
    settlement = _settlement_of(request, month, pk)
    try:
        settlement = services.settlement_close(settlement=settlement, by=request.user)
    except services.SettlementRefused as exc:
        messages.error(request, exc.localized())
    else:
        messages.success(request, _("%(month)s is closed for %(scope)s: its lines are in "
                                    "the ledger.") % {"month": settlement.label,
                                                      "scope": settlement.scope_name})
    return redirect("settlement-month", month=month)


@login_required
@require_POST
def discard(request, month, pk):
    settlement = _settlement_of(request, month, pk)
    try:
        services.settlement_discard(settlement=settlement, by=request.user)
    except services.SettlementRefused as exc:
        messages.error(request, exc.localized())
    else:
        messages.success(request, _("The draft of %(month)s for %(scope)s was discarded.")
                         % {"month": settlement.label, "scope": settlement.scope_name})
    return redirect("settlement-month", month=month)


# -- adjustments -------------------------------------------------------------------------


@never_cache
@login_required
def adjustments(request):
    user = request.user
    _require_staff(user)
    may_adjust = user.has_role(Role.SETTLEMENT_ADJUST)
    form = AdjustmentForm(request.POST or None, user=user) if may_adjust else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                done = services.adjustment_add(agent=data["agent"], amount_fen=data["amount"],
                                               reason=data["reason"], policy=data["policy"],
                                               by=user)
            except services.SettlementRefused as exc:
                form.add_error(None, exc.localized())
            else:
                messages.success(request, _("Adjustment of %(amount)s yuan for %(agent)s "
                                            "recorded in %(month)s.") % {
                    "amount": done.amount, "agent": done.agent.code,
                    "month": rules.month_label(done.month)})
                return redirect("settlement-adjustments")
    rows = (Adjustment.objects.restrict(user)
            .select_related("agent", "policy", "by").order_by("-created_at"))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "settlement/adjustments.html", {"form": form, "page": page})


# -- an agent's month --------------------------------------------------------------------


def _statement(agent, month):
    found = statements.statement(agent, month)
    return present(found) if found is not None else None


@never_cache
@login_required
def agent_month(request, month, code):
    agent = _agent_in_scope(request.user, code)
    context = {"agent": agent, "month": month, "label": rules.month_label(month),
               "statement": _statement(agent, month), "cutoff": rules.cutoff_at(month),
               "staff": request.user.has_role(Role.SETTLEMENT_VIEW)}
    return render(request, "settlement/agent_month.html", context)


def _pdf_response(agent, month):
    from .pdf import statement_pdf

    # The printed statement is Chinese whatever the page's language: the hints are
    # worded by gettext when the statement is read.
    with translation.override("zh-hans"):
        found = statements.statement(agent, month)
    if found is None:
        raise Http404
    response = HttpResponse(statement_pdf(found), content_type="application/pdf")
    name = f"statement-{rules.month_label(month)}-{agent.code}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@never_cache
@login_required
def agent_pdf(request, month, code):
    return _pdf_response(_agent_in_scope(request.user, code), month)


# -- the agent's own statement -----------------------------------------------------------


def _my_months(user, agent) -> list[dict]:
    """The months with lines for the agent, newest first, with their totals: the
    ledger's where closed, the draft's elsewhere."""
    totals: dict = defaultdict(rules.Totals)
    kinds = {}
    for model, kind in ((DraftLine, "draft"), (LedgerLine, "closed")):
        grouped = (model.objects.restrict(user).filter(agent=agent).order_by()
                   .values("month", "action", "enters").annotate(amount=Sum("amount_fen")))
        for g in grouped:
            totals[g["month"]].add(g["action"], int(g["amount"]), g["enters"])
            kinds[g["month"]] = kind
    return [{"month": m, "label": rules.month_label(m), "kind": kinds[m],
             "kind_label": KIND_WORDS[kinds[m]], "totals": totals[m]}
            for m in sorted(totals, reverse=True)]


@never_cache
@login_required
def me(request):
    agent = _own_agent(request.user)
    context = {"agent": agent, "forecast": present(statements.forecast(agent)),
               "months": _my_months(request.user, agent)}
    return render(request, "settlement/me.html", context)


@never_cache
@login_required
def me_month(request, month):
    agent = _own_agent(request.user)
    found = _statement(agent, month)
    if found is None:
        raise Http404
    return render(request, "settlement/me_month.html", {"agent": agent, "statement": found})


@never_cache
@login_required
def me_pdf(request, month):
    return _pdf_response(_own_agent(request.user), month)
