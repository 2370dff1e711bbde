"""Valuable-document pages (rules §7.3): the list in scope, issuing, taking back (a clerk
types or scans the number and presses Enter), and what agents who left still hold.

Thin: rows through `restrict(user)`, every change through `services`, a refusal
(DocumentRefused) shown on the page, nothing changed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from . import reading, rules, services
from .forms import FilterForm, IssueForm, ReturnForm
from .models import ValuableDocument

PAGE_SIZE = 50
STATE_BADGES = {rules.OUT: "secondary", rules.OVERDUE: "danger", rules.RETURNED: "success"}


def _documents(user):
    return ValuableDocument.objects.restrict(user).live().select_related("agent__team")


def _page(request, rows):
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


def _require_writer(user) -> None:
    if not services.may_write(user):
        raise Http404


def _labelled(page, today):
    for doc in page:
        doc.current = doc.state(today)
        doc.badge = STATE_BADGES[doc.current]
    return page


@login_required
def document_list(request):
    form = FilterForm(request.GET or None)
    rows = _documents(request.user)
    today = timezone.localdate()
    if form.is_valid():
        today = form.day()
        data = form.cleaned_data
        if data["state"]:
            rows = reading.in_state(rows, data["state"], today)
        if data["agent"]:
            rows = rows.filter(agent__code=data["agent"].strip())
        if data["q"]:
            rows = rows.filter(doc_no__icontains=data["q"].strip())
    page = _labelled(_page(request, rows.order_by("due_on", "doc_no")), today)
    return render(request, "documents/list.html", {
        "form": form, "page": page, "today": today,
        "may_write": services.may_write(request.user),
    })


@login_required
def document_issue(request):
    _require_writer(request.user)
    form = IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            doc = services.document_issue(
                doc_no=data["doc_no"], agent=data["agent"].strip(), doc_type=data["doc_type"],
                issued_on=data["issued_on"], due_on=data["due_on"], by=request.user)
        except services.DocumentRefused as refused:
            form.add_error(None, refused.localized())
        else:
            messages.success(request, _("Document %(doc)s issued to %(agent)s.") % {
                "doc": doc.doc_no, "agent": doc.agent})
            return redirect("documents-issue")
    return render(request, "documents/issue.html", {"form": form})


@login_required
def document_return(request):
    _require_writer(request.user)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        doc_no = data["doc_no"].strip()
        doc = _documents(request.user).filter(doc_no=doc_no).first()
        if doc is None:
            form.add_error("doc_no", _("No document %(doc)s in your scope.") % {"doc": doc_no})
        else:
            try:
                doc = services.document_return(document=doc, returned_on=data["returned_on"],
                                               by=request.user)
            except services.DocumentRefused as refused:
                form.add_error("doc_no", refused.localized())
            else:
                message = (_("Document %(doc)s taken back, %(days)s days late.")
                           if doc.returned_on > doc.due_on else
                           _("Document %(doc)s taken back in time."))
                messages.success(request, message % {
                    "doc": doc.doc_no, "days": (doc.returned_on - doc.due_on).days})
                # keep the date for the next scan
                return redirect(f"{request.path}?on={data['returned_on']:%Y-%m-%d}")
    elif request.method == "GET" and request.GET.get("on"):
        form = ReturnForm(initial={"returned_on": request.GET["on"]})
    recent = _documents(request.user).filter(returned_by=request.user).order_by(
        "-updated_at")[:10]
    return render(request, "documents/return.html", {"form": form, "recent": recent})


@login_required
def document_leavers(request):
    today = timezone.localdate()
    rows = reading.of_leavers(_documents(request.user)).order_by("agent__left_on", "doc_no")
    page = _page(request, rows)
    for doc in page:
        doc.deadline = rules.leaver_deadline(doc.agent.left_on)
        doc.passed = rules.leaver_deadline_passed(doc.agent.left_on, today)
    return render(request, "documents/leavers.html", {
        "page": page, "today": today, "may_write": services.may_write(request.user)})
