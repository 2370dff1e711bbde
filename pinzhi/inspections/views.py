"""The inspection pages (issue 8): the plans in the user's scope with their progress and
the form to plan one; a plan's page (its checklist with results, its findings, the forms
to check and to record); all findings in scope (overdue ones stand out); a finding's page
with its rectification.

Thin: rows through `restrict(user)` (404 outside scope), every change through
`inspections.services`, a refusal shown on the page with nothing changed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from pinzhi.accounts.models import Role
from pinzhi.web.posting import form_post

from . import services
from .forms import CheckForm, FindingForm, ItemForm, PlanForm, RectifyForm, VerifyForm
from .models import ChecklistItem, Finding, InspectionPlan, PlanKind
from .reading import progress_of, with_states

PAGE_SIZE = 25
STATE_LABELS = {"open": _("to rectify"), "overdue": _("overdue"), "rectified": _("rectified"),
                "rectified_late": _("rectified late")}
FILTERS = {"mine": _("Mine to rectify"), "overdue": _("Overdue"), "open": _("Not rectified")}


def may_see(user) -> bool:
    """Staff in a scope: inspectors, managers and the owners of findings."""
    return user.is_superuser or user.role not in (Role.AGENT, Role.SYSTEM)


def _plans(request):
    return InspectionPlan.objects.restrict(request.user)


@login_required
def inspections_list(request, form=None):
    user = request.user
    if not may_see(user):
        return redirect("home")
    today = timezone.localdate()
    plans = _plans(request).live().select_related("unit", "planned_by")
    kind = request.GET.get("kind", "")
    if kind in PlanKind.values:
        plans = plans.filter(kind=kind)
    query = request.GET.get("q", "").strip()
    if query:
        plans = plans.filter(Q(plan_no__icontains=query) | Q(title__icontains=query)
                             | Q(unit__code__iexact=query))
    page = Paginator(plans.order_by("-period_from", "plan_no"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    progress = progress_of(list(page.object_list), today)
    for plan in page.object_list:
        plan.progress = progress[plan.pk]
    may_plan = services.may_plan(user, PlanKind.SELF)
    return render(request, "inspections/list.html", {
        "page": page, "kind": kind, "kinds": PlanKind.choices, "q": query,
        "may_plan": may_plan,
        "form": form or (PlanForm(user=user, initial={"period_from": today,
                                                      "period_to": today})
                         if may_plan else None)})


@login_required
@require_POST
def plan_new(request):
    form = PlanForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            plan = services.plan_create(by=request.user, **form.cleaned_data)
        except services.InspectionRefused as refused:
            messages.error(request, refused.localized())
        else:
            messages.success(request, _("Plan %(no)s recorded.") % {"no": plan.plan_no})
            return redirect(plan)
    return inspections_list(request, form=form)


def _plan(request, plan_no) -> InspectionPlan:
    return get_object_or_404(_plans(request).select_related("unit", "planned_by"),
                             plan_no=plan_no)


@login_required
def plan_detail(request, plan_no, forms=None):
    if not may_see(request.user):
        return redirect("home")
    plan = _plan(request, plan_no)
    today = timezone.localdate()
    items = list(plan.items.select_related("violation_type", "checked_by"))
    findings = with_states(Finding.objects.restrict(request.user).live().filter(plan=plan)
                           .order_by("found_on", "finding_no"), today)
    chosen = next((i for i in items if str(i.seq) == request.GET.get("item")), None)
    forms = {
        "item": ItemForm(prefix="item"),
        "check": CheckForm(prefix="check", initial={"checked_on": today}),
        "finding": FindingForm(prefix="finding", plan=plan, user=request.user, initial={
            "found_on": today, "item_seq": chosen.seq if chosen else None,
            "violation_code": chosen.violation_type.code
            if chosen and chosen.violation_type else ""}),
        **(forms or {})}
    return render(request, "inspections/plan.html", {
        "plan": plan, "items": items, "findings": findings, "forms": forms,
        "progress": progress_of([plan], today)[plan.pk], "states": STATE_LABELS,
        "may_inspect": not plan.is_voided and services.may_inspect(request.user, plan)})


def _on_plan(name: str, form_class, run, done):
    """A POST of one form on a plan's page: the service, or its refusal shown."""
    @login_required
    @require_POST
    def view(request, plan_no, **kwargs):
        plan = _plan(request, plan_no)
        form = form_class(request.POST, prefix=name,
                          **({"plan": plan, "user": request.user}
                             if form_class is FindingForm else {}))
        if form.is_valid():
            try:
                run(plan, request, form.cleaned_data, **kwargs)
            except services.InspectionRefused as refused:
                messages.error(request, refused.localized())
            else:
                messages.success(request, done)
                return redirect(plan)
        return plan_detail(request, plan_no, forms={name: form})
    return view


def _add_item(plan, request, data):
    services.checklist_add(plan=plan, by=request.user, **data)


def _check_item(plan, request, data, seq):
    item = get_object_or_404(ChecklistItem, plan=plan, seq=seq)
    services.item_check(item=item, by=request.user, **data)


def _record_finding(plan, request, data):
    seq = data.pop("item_seq")
    data.pop("agent_code")
    item = plan.items.filter(seq=seq).first() if seq else None
    services.finding_record(plan=plan, item=item, by=request.user, **data)


item_add = _on_plan("item", ItemForm, _add_item, _("Checklist item added."))
item_check = _on_plan("check", CheckForm, _check_item, _("Result recorded."))
finding_new = _on_plan("finding", FindingForm, _record_finding, _("Finding recorded."))


@login_required
@require_POST
def template_copy(request, plan_no):
    plan = _plan(request, plan_no)
    try:
        services.checklist_from_template(plan=plan, template=request.POST.get("template", ""),
                                         by=request.user)
    except services.InspectionRefused as refused:
        messages.error(request, refused.localized())
    return redirect(plan)


@login_required
def findings_list(request):
    user = request.user
    if not may_see(user):
        return redirect("home")
    today = timezone.localdate()
    show = request.GET.get("show", "")
    show = show if show in FILTERS else ""
    findings = Finding.objects.restrict(user).live().filter(plan__voided_at__isnull=True)
    if show == "mine":
        findings = findings.filter(owner=user, rectified_on__isnull=True)
    elif show == "overdue":  # the rule's overdue, in SQL: past due_on and not rectified
        findings = findings.filter(rectified_on__isnull=True, due_on__lt=today)
    elif show == "open":
        findings = findings.filter(rectified_on__isnull=True)
    query = request.GET.get("q", "").strip()
    if query:
        findings = findings.filter(Q(finding_no__icontains=query)
                                   | Q(plan__plan_no__icontains=query)
                                   | Q(agent__code__iexact=query))
    page = Paginator(findings.order_by("due_on", "finding_no"), PAGE_SIZE).get_page(
        request.GET.get("page"))
    page.object_list = with_states(
        Finding.objects.filter(pk__in=[f.pk for f in page.object_list])
        .order_by("due_on", "finding_no"), today)
    return render(request, "inspections/findings.html", {
        "page": page, "show": show, "filters": FILTERS.items(), "q": query,
        "states": STATE_LABELS})


def _finding(request, finding_no) -> Finding:
    return get_object_or_404(Finding.objects.restrict(request.user).select_related(
        "plan__unit", "item", "agent__team", "owner", "violation_type", "case",
        "rectified_by", "verified_by"), finding_no=finding_no)


@login_required
def finding_detail(request, finding_no, forms=None):
    if not may_see(request.user):
        return redirect("home")
    finding = _finding(request, finding_no)
    today = timezone.localdate()
    user = request.user
    inspector = services.may_inspect(user, finding.plan)
    live = not finding.is_voided and finding.verified_on is None
    forms = {"rectify": RectifyForm(prefix="rectify", initial={"rectified_on": today}),
             "verify": VerifyForm(prefix="verify", initial={"verified_on": today}),
             **(forms or {})}
    state = finding.state_on(today)
    return render(request, "inspections/finding.html", {
        "finding": finding, "state": state, "forms": forms,
        "may_rectify": live and (user.pk == finding.owner_id or inspector),
        "may_verify": live and inspector and finding.rectified_on is not None
        and finding.rectified_by_id != user.pk})


def _on_finding(name, form_class, run, done):
    return form_post(name=name, form_class=form_class, find=_finding, page=finding_detail,
                     run=run, subject="finding", done=done)


finding_rectify = _on_finding("rectify", RectifyForm, services.rectification_record,
                              _("Rectification recorded."))
finding_verify = _on_finding("verify", VerifyForm, services.rectification_verify,
                             _("Rectification verified."))
