"""The complaint pages: the list in the user's scope (overdue ones stand out), the
receive form, and a complaint's page with its actions (assign, extend, decide, review).

Thin: rows through `restrict(user)` (404 outside scope), every change through
`complaints.services`, a refusal shown on the page with nothing changed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from pinzhi.accounts.models import Role
from pinzhi.web.posting import form_post

from . import services
from .clock import with_clocks
from .forms import (
    AssignForm,
    DecideForm,
    ExtendForm,
    ReceiveForm,
    ReviewDecideForm,
    ReviewRequestForm,
)
from .models import Complaint

PAGE_SIZE = 25
STATE_LABELS = {  # in the complaint's words (a case is "decided" otherwise)
    "open": pgettext_lazy("complaint", "open"), "decided": pgettext_lazy("complaint", "decided"),
    "under_review": pgettext_lazy("complaint", "under review"),
    "reviewed": pgettext_lazy("complaint", "reviewed"),
}
FILTERS = {
    "open": gettext_lazy("Open"), "overdue": gettext_lazy("Overdue"),
    "under_review": gettext_lazy("Under review"), "decided": gettext_lazy("Decided"),
}
WAITING = Q(decided_on__isnull=True) | Q(review_requested_on__isnull=False,
                                         review_decided_on__isnull=True)


def may_see(user) -> bool:
    return user.has_role(Role.COMPLAINTS_RECEIVE | Role.COMPLAINTS_HANDLE)


@login_required
def complaint_list(request):
    if not may_see(request.user):
        return redirect("home")
    today = timezone.localdate()
    show = request.GET.get("show", "")
    show = show if show in FILTERS else ""
    complaints = Complaint.objects.restrict(request.user).live()
    query = request.GET.get("q", "").strip()
    if query:
        complaints = complaints.filter(Q(complaint_no__icontains=query)
                                       | Q(policy__policy_no__icontains=query)
                                       | Q(agent__code__iexact=query))
    if show in ("open", "overdue"):
        complaints = complaints.filter(WAITING if show == "overdue" else
                                       Q(decided_on__isnull=True))
    elif show == "under_review":
        complaints = complaints.filter(review_requested_on__isnull=False,
                                       review_decided_on__isnull=True)
    elif show == "decided":
        complaints = complaints.filter(decided_on__isnull=False)
    complaints = complaints.order_by("received_on", "complaint_no")
    if show == "overdue":  # the clock is the rules', not a second copy of it in SQL:
        # the waiting ones are clocked, then the page is cut
        rows = [c for c in with_clocks(complaints, today) if c.clock.overdue]
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    else:  # the page is cut in SQL, and only its rows are clocked
        page = Paginator(complaints, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = with_clocks(
            complaints.filter(pk__in=[c.pk for c in page.object_list]), today)
    return render(request, "complaints/list.html", {
        "page": page, "show": show, "filters": FILTERS.items(), "q": query,
        "states": STATE_LABELS,
        "may_receive": request.user.has_role(Role.COMPLAINTS_RECEIVE)})


@login_required
def complaint_receive(request):
    if not request.user.has_role(Role.COMPLAINTS_RECEIVE):
        return redirect("complaints-list")
    form = ReceiveForm(request.POST or None, user=request.user,
                       initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = services.complaint_receive(
                complaint_no=data["complaint_no"], received_on=data["received_on"],
                channel=data["channel"], policy=data["policy"], agent=data["agent"],
                complainant=data["complainant"], summary=data["summary"], by=request.user)
        except services.ComplaintRefused as refused:
            form.add_error(None, refused.localized())
        else:
            messages.success(request, _("Complaint %(no)s recorded.")
                             % {"no": complaint.complaint_no})
            return redirect(complaint)
    return render(request, "complaints/receive.html", {"form": form})


def _complaint(request, complaint_no) -> Complaint:
    complaints = Complaint.objects.restrict(request.user)
    return get_object_or_404(complaints, complaint_no=complaint_no)


@login_required
def complaint_detail(request, complaint_no, forms=None):
    if not may_see(request.user):
        return redirect("home")
    today = timezone.localdate()
    rows = with_clocks(Complaint.objects.restrict(request.user)
                       .filter(complaint_no=complaint_no), today)
    if not rows:
        raise Http404
    complaint = rows[0]
    initial = {"on": today, "customer_told_on": today}
    # Each form has its prefix: the page holds several, and their fields share names.
    forms = {"assign": AssignForm(initial={"handler": complaint.handler_id}, prefix="assign"),
             "extend": ExtendForm(initial=initial, prefix="extend"),
             "decide": DecideForm(initial=initial, prefix="decide"),
             "review_request": ReviewRequestForm(initial=initial, prefix="review_request"),
             "review_decide": ReviewDecideForm(initial=initial, prefix="review_decide"),
             **(forms or {})}
    user = request.user
    may_handle = (not complaint.is_voided and user.has_role(Role.COMPLAINTS_HANDLE)
                  and not services.has_stake(user, complaint.agent))
    return render(request, "complaints/detail.html", {
        "complaint": complaint, "state": STATE_LABELS[complaint.clock.state],
        "extensions": complaint.extensions.select_related("approved_by", "by"),
        "forms": forms, "may_handle": may_handle,
        "may_review": may_handle and user.has_role(Role.COMPLAINTS_SENIOR),
        "may_receive": not complaint.is_voided and user.has_role(Role.COMPLAINTS_RECEIVE)})


def _post(name, form_class, run, done):
    return form_post(name=name, form_class=form_class, find=_complaint, page=complaint_detail,
                     run=run, subject="complaint", done=done)


complaint_assign = _post("assign", AssignForm, services.complaint_assign,
                         gettext_lazy("Handler recorded."))
complaint_extend = _post("extend", ExtendForm, services.complaint_extend,
                         gettext_lazy("Extension recorded."))
complaint_decide = _post("decide", DecideForm, services.complaint_decide,
                         gettext_lazy("Decision recorded."))
complaint_review_request = _post("review_request", ReviewRequestForm,
                                 services.complaint_review_request,
                                 gettext_lazy("Review request recorded."))
complaint_review_decide = _post("review_decide", ReviewDecideForm, services.complaint_review_decide,
                                gettext_lazy("Review recorded."))
