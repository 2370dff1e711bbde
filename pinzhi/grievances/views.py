"""The grievance pages: for an agent, his own grievances and the form to raise one (made
for his phone); for handlers, the list in their scope (overdue ones stand out) with its
filters and the form for one received on paper; a grievance's page with its actions.

Thin: rows through `Grievance.objects.restrict(user)` (404 for anyone else, a manager of
the agent included), every change through `grievances.services`.
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
from django.views.decorators.http import require_POST

from pinzhi.accounts.models import Role
from pinzhi.web.posting import form_post

from . import services
from .clock import with_clocks
from .forms import AssignForm, PaperForm, RaiseForm, ReplyForm
from .models import Grievance

PAGE_SIZE = 25
STATE_LABELS = {
    "open": pgettext_lazy("grievance", "open"), "overdue": gettext_lazy("overdue"),
    "replied": gettext_lazy("replied"), "replied_late": gettext_lazy("replied late"),
}
FILTERS = {"open": gettext_lazy("Waiting"), "overdue": gettext_lazy("Overdue"),
           "mine": gettext_lazy("Mine"), "replied": gettext_lazy("Replied")}


def is_handler(user) -> bool:
    return user.has_role(Role.GRIEVANCE_HANDLE)


def _filtered(grievances, show: str, user, query: str):
    if query:
        grievances = grievances.filter(Q(grievance_no__icontains=query)
                                       | Q(agent__code__iexact=query))
    if show in ("open", "overdue"):
        grievances = grievances.filter(replied_on__isnull=True)
    elif show == "mine":
        grievances = grievances.filter(handler=user)
    elif show == "replied":
        grievances = grievances.filter(replied_on__isnull=False)
    return grievances.order_by("received_on", "grievance_no")


def _page(request, grievances, show: str, today):
    if show == "overdue":  # the clock is the rules': clock the waiting ones, then cut
        rows = [g for g in with_clocks(grievances, today) if g.clock.overdue]
        return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    page = Paginator(grievances, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = with_clocks(
        grievances.filter(pk__in=[g.pk for g in page.object_list]), today)
    return page


@login_required
def grievances_list(request, form=None):
    user = request.user
    today = timezone.localdate()
    if is_handler(user):
        show = request.GET.get("show", "")
        show = show if show in FILTERS else ""
        query = request.GET.get("q", "").strip()
        grievances = _filtered(Grievance.objects.restrict(user).live(), show, user, query)
        return render(request, "grievances/list.html", {
            "page": _page(request, grievances, show, today), "show": show,
            "filters": FILTERS.items(), "q": query, "states": STATE_LABELS,
            "form": form or PaperForm(user=user, initial={"received_on": today})})
    if not user.agent_id:
        return redirect("home")
    own = Grievance.objects.restrict(user).live().filter(agent_id=user.agent_id)
    return render(request, "grievances/mine.html", {
        "grievances": with_clocks(own.order_by("-received_on", "-grievance_no"), today),
        "states": STATE_LABELS, "form": form or RaiseForm()})


@login_required
@require_POST
def grievances_raise(request):
    """The agent's own, from his phone."""
    if not request.user.agent_id:
        raise Http404
    form = RaiseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            grievance = services.grievance_raise(
                agent=request.user.agent, about=data["about"], summary=data["summary"],
                against_agent=data["against_agent"], by=request.user)
        except services.GrievanceRefused as refused:
            form.add_error(None, refused.localized())
        else:
            messages.success(request, _("Grievance %(no)s received; you will be told when "
                                        "it is replied to.") % {"no": grievance.grievance_no})
            return redirect(grievance)
    return grievances_list(request, form=form)


@login_required
@require_POST
def grievances_record(request):
    """One received on paper, recorded by a handler."""
    if not is_handler(request.user):
        raise Http404
    form = PaperForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            grievance = services.grievance_raise(
                grievance_no=data["grievance_no"], agent=data["agent"], about=data["about"],
                summary=data["summary"], against_agent=data["against_agent"],
                channel=data["channel"], received_on=data["received_on"], by=request.user)
        except services.GrievanceRefused as refused:
            form.add_error(None, refused.localized())
        else:
            messages.success(request, _("Grievance %(no)s recorded.")
                             % {"no": grievance.grievance_no})
            return redirect(grievance)
    return grievances_list(request, form=form)


@login_required
def grievances_detail(request, grievance_no, forms=None):
    user = request.user
    today = timezone.localdate()
    rows = with_clocks(Grievance.objects.restrict(user).filter(grievance_no=grievance_no),
                       today)
    if not rows:
        raise Http404
    grievance = rows[0]
    forms = {"assign": AssignForm(initial={"handler": grievance.handler_id}, prefix="assign"),
             "reply": ReplyForm(initial={"replied_on": today}, prefix="reply"),
             **(forms or {})}
    may_handle = (not grievance.is_voided and grievance.clock.waiting
                  and services.may_handle(user, grievance))
    return render(request, "grievances/detail.html", {
        "grievance": grievance, "states": STATE_LABELS,
        "forms": forms, "may_handle": may_handle,
        "may_reply": may_handle and grievance.handler_id in (None, user.pk),
        "stake": services.stake(user, grievance) if is_handler(user) else None})


def _grievance(request, grievance_no) -> Grievance:
    return get_object_or_404(Grievance.objects.restrict(request.user),
                             grievance_no=grievance_no)


def _post(name, form_class, run, done):
    return form_post(name=name, form_class=form_class, find=_grievance,
                     page=grievances_detail, run=run, subject="grievance", done=done)


grievances_assign = _post("assign", AssignForm, services.grievance_assign,
                          gettext_lazy("Handler recorded."))
grievances_reply = _post("reply", ReplyForm, services.grievance_reply,
                         gettext_lazy("Reply recorded; the agent is told."))
