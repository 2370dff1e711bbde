"""The notice pages (rules §7.4): the list in the user's scope with its filters, the issue
form, and a notice's page with the delivered and reported-back forms.

Thin: rows through `restrict(user)` (404 outside scope), every change through
`notices.services`, a refusal (NoticeRefused) shown on the page, nothing changed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pinzhi.quality.models import Case

from . import rules, services
from .evaluation import with_case
from .forms import DeliveredForm, IssueForm, ReportedForm
from .models import Kind, Notice

PAGE_SIZE = 25
STATE_LABELS = {
    rules.TO_DELIVER: gettext_lazy("to deliver"),
    rules.DELIVERED: gettext_lazy("delivered, not reported back"),
    rules.REPORTED: gettext_lazy("delivered and reported back"),
    rules.LATE: gettext_lazy("late"),
    rules.REPORTED_FALSE: gettext_lazy("reported untruthfully"),
}
FILTERS = {
    "to_deliver": gettext_lazy("To deliver"),
    "overdue": gettext_lazy("Overdue"),
    "reported_false": gettext_lazy("Reported untruthfully"),
    "harm": gettext_lazy("Complaint or loss"),
}


def filtered(notices, show: str, today):
    not_done = (Q(delivered_on__isnull=True) | Q(delivered_on__gt=F("due_on"))
                | Q(reported_on__isnull=True) | Q(reported_on__gt=F("due_on")))
    if show == "to_deliver":
        return notices.filter(delivered_on__isnull=True, due_on__gte=today)
    if show == "overdue":
        return notices.filter(not_done, due_on__lt=today)
    if show == "reported_false":
        return notices.filter(report_false=True)
    if show == "harm":
        return notices.filter(harm=True)
    return notices


@login_required
def notice_list(request):
    today = timezone.localdate()
    show = request.GET.get("show", "")
    show = show if show in FILTERS else ""
    notices = Notice.objects.restrict(request.user).live().select_related("policy", "agent")
    query = request.GET.get("q", "").strip()
    if query:
        notices = notices.filter(Q(notice_no__icontains=query)
                                 | Q(policy__policy_no__icontains=query)
                                 | Q(agent__code__iexact=query))
    notices = with_case(filtered(notices, show, today)).order_by("due_on", "notice_no")
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    for notice in page:
        notice.state_label = STATE_LABELS[rules.notice_state(notice.facts, today)]
    return render(request, "notices/list.html", {
        "page": page, "show": show, "filters": FILTERS.items(), "q": query,
        "may_record": services.may_record(request.user),
    })


@login_required
def notice_issue(request):
    if not services.may_record(request.user):
        return redirect("notices-list")
    form = IssueForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = services.notice_issue(
                notice_no=data["notice_no"], policy=data["policy"], agent=data["agent"],
                kind=data["kind"], issued_on=data["issued_on"], due_on=data["due_on"],
                by=request.user)
        except services.NoticeRefused as refused:
            form.add_error(None, refused.localized())
        else:
            messages.success(request, _("Notice %(no)s recorded.") % {"no": notice.notice_no})
            return redirect(notice)
    return render(request, "notices/issue.html", {"form": form, "kinds": Kind.choices})


def _notice(request, notice_no):
    notices = Notice.objects.restrict(request.user).select_related(
        "policy", "agent__team", "recorded_by", "voided_by")
    return get_object_or_404(notices, notice_no=notice_no)


@login_required
def notice_detail(request, notice_no, delivered_form=None, reported_form=None):
    notice = _notice(request, notice_no)
    today = timezone.localdate()
    key = notice.rule_key
    cases = Case.objects.filter(Q(rule_key=key) | Q(rule_key__startswith=f"{key}#void")) \
        .select_related("type", "version").order_by("created_at")
    return render(request, "notices/detail.html", {
        "notice": notice, "state": STATE_LABELS[rules.notice_state(notice.facts, today)],
        "cases": cases,
        "may_record": services.may_record(request.user) and not notice.is_voided,
        "delivered_form": delivered_form or DeliveredForm(
            initial={"delivered_on": notice.delivered_on or today}),
        "reported_form": reported_form or ReportedForm(initial={
            "reported_on": notice.reported_on or today, "false": notice.report_false,
            "harm": notice.harm}),
    })


@login_required
@require_POST
def notice_delivered(request, notice_no):
    notice = _notice(request, notice_no)
    form = DeliveredForm(request.POST)
    if form.is_valid():
        try:
            services.notice_delivered(notice=notice, by=request.user, **form.cleaned_data)
        except services.NoticeRefused as refused:
            form.add_error(None, refused.localized())
        else:
            messages.success(request, _("Delivery recorded."))
            return redirect(notice)
    return notice_detail(request, notice_no, delivered_form=form)


@login_required
@require_POST
def notice_reported(request, notice_no):
    notice = _notice(request, notice_no)
    form = ReportedForm(request.POST)
    if form.is_valid():
        try:
            services.notice_reported(notice=notice, by=request.user, **form.cleaned_data)
        except services.NoticeRefused as refused:
            form.add_error(None, refused.localized())
        else:
            messages.success(request, _("Report recorded."))
            return redirect(notice)
    return notice_detail(request, notice_no, reported_form=form)
