"""The departure pages (issue 8): the departures in the user's scope with their two tasks
(overdue ones stand out), the terminated agents with no departure recorded yet, the form
to record one, and a departure's page with its policies to tell and documents to take back.

Thin: rows through `restrict(user)` (404 outside scope), every change through
`departures.services` (documents through `documents.services`), a refusal shown with
`messages.error` and nothing changed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pinzhi.accounts.models import Role
from pinzhi.documents import services as documents
from pinzhi.org.models import Agent
from pinzhi.policies.models import Policy

from . import rules, services
from .forms import DepartForm, ReturnForm, TellForm
from .models import Departure
from .tasks import documents_held, tasks_of, to_notify, told_days, with_tasks

PAGE_SIZE = 25
READERS = Role.DEPARTURE | {Role.MANAGER, Role.HQ_QUALITY, Role.QUALITY_OFFICER}
STATE_LABELS = {rules.OPEN: gettext_lazy("open"), rules.DONE: gettext_lazy("done"),
                rules.LATE: gettext_lazy("done late"), rules.OVERDUE: gettext_lazy("overdue")}
TASK_LABELS = {"notify": gettext_lazy("Policyholders told"),
               "documents": gettext_lazy("Documents returned")}


def may_see(user) -> bool:
    return user.has_role(READERS)


def _paged(request, rows, param: str = "page"):
    """One page of `rows` by `?<param>=`, with links that keep the other parameters (a
    page may page two lists)."""
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get(param))
    for name, number in (("prev_url", page.has_previous() and page.number - 1),
                         ("next_url", page.has_next() and page.number + 1)):
        query = request.GET.copy()
        query[param] = number
        setattr(page, name, f"?{query.urlencode()}" if number else "")
    return page


def _not_recorded(user):
    """Agents the agents feed marked terminated, with no departure recorded."""
    return (Agent.objects.restrict(user).live()
            .filter(status=Agent.Status.TERMINATED, departure__isnull=True)
            .select_related("team").order_by("-left_on", "code"))


@login_required
def departures_list(request, form=None):
    if not may_see(request.user):
        return redirect("home")
    today = timezone.localdate()
    show = "overdue" if request.GET.get("show") == "overdue" else ""
    departures = Departure.objects.restrict(request.user).live()
    query = request.GET.get("q", "").strip()
    if query:
        departures = departures.filter(agent__code__iexact=query)
    departures = departures.order_by("-left_on", "agent__code")
    if show:  # the state is the rules', not a copy of it in SQL: clock all, then cut
        page = _paged(request, [d for d in with_tasks(departures, today) if d.tasks.overdue])
    else:
        page = _paged(request, departures)
        page.object_list = with_tasks(
            departures.filter(pk__in=[d.pk for d in page.object_list]), today)
    may_record = services.may_record(request.user)
    pending = _not_recorded(request.user)
    if form is None and may_record:
        form = DepartForm(user=request.user, initial={
            "agent_code": request.GET.get("agent", ""), "left_on": today})
    return render(request, "departures/list.html", {
        "page": page, "show": show, "q": query, "states": STATE_LABELS,
        "tasks": TASK_LABELS, "pending": pending[:50], "pending_count": pending.count(),
        "may_record": may_record, "form": form})


@login_required
def departure_record(request):
    if not services.may_record(request.user):
        return redirect("departures-list")
    if request.method != "POST":
        return redirect("departures-list")
    form = DepartForm(request.POST, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            departure = services.agent_depart(
                agent=data["agent"], left_on=data["left_on"], reason=data["reason"],
                servicing_agent=data["servicing_agent"], note=data["note"], by=request.user)
        except services.DepartureRefused as refused:
            messages.error(request, refused.localized())
        else:
            count = departure.assignments.count()
            messages.success(request, _("Departure of %(agent)s recorded; %(n)s policies "
                                        "now serviced by %(servicing)s.") % {
                "agent": departure.agent.code, "n": count,
                "servicing": departure.servicing_agent.code})
            return redirect(departure)
    return departures_list(request, form=form)


def _departure(request, agent_code) -> Departure:
    rows = Departure.objects.restrict(request.user).select_related(
        "agent__team", "servicing_agent", "recorded_by")
    return get_object_or_404(rows, agent__code=agent_code)


@login_required
def departure_detail(request, agent_code):
    if not may_see(request.user):
        return redirect("home")
    departure = _departure(request, agent_code)
    today = timezone.localdate()
    tasks = tasks_of(departure, today)
    told = told_days(departure)
    policies = _paged(request, to_notify(departure).select_related("product")
                      .order_by("policy_no"), "policies_page")
    for policy in policies:
        policy.told_on = told.get(policy.pk)
    docs = _paged(request, documents_held(departure).order_by("doc_no"), "documents_page")
    may_write = services.may_record(request.user) and not departure.is_voided
    return render(request, "departures/detail.html", {
        "departure": departure, "tasks": tasks, "states": STATE_LABELS,
        "task_labels": TASK_LABELS, "policies": policies, "documents": docs,
        "reassigned": departure.assignments.count(), "today": today,
        "may_write": may_write, "tell_form": TellForm(initial={"told_on": today}),
        "return_form": ReturnForm(initial={"returned_on": today}),
        "may_return": documents.may_write(request.user)})


@login_required
@require_POST
def departure_told(request, agent_code):
    departure = _departure(request, agent_code)
    form = TellForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the day and how they were told."))
        return redirect(departure)
    chosen = None
    if "all" not in request.POST:
        chosen = list(Policy.objects.filter(policy_no__in=request.POST.getlist("policy")))
    try:
        count = services.policyholders_told(departure=departure, policies=chosen,
                                            by=request.user, **form.cleaned_data)
    except services.DepartureRefused as refused:
        messages.error(request, refused.localized())
    else:
        messages.success(request, _("%(n)s policyholders recorded as told.") % {"n": count})
    return redirect(departure)


@login_required
@require_POST
def departure_return(request, agent_code):
    """A document he held taken back, through the documents' own service."""
    departure = _departure(request, agent_code)
    form = ReturnForm(request.POST)
    doc = None
    if form.is_valid():
        doc = documents_held(departure).filter(doc_no=form.cleaned_data["doc_no"]).first()
    if doc is None:
        messages.error(request, _("No such document of this departure."))
        return redirect(departure)
    try:
        documents.document_return(document=doc, returned_on=form.cleaned_data["returned_on"],
                                  by=request.user)
    except documents.DocumentRefused as refused:
        messages.error(request, refused.localized())
    else:
        messages.success(request, _("Document %(doc)s taken back.") % {"doc": doc.doc_no})
    return redirect(departure)
