"""The branch quality officer's callback pages (he is also the branch's callback
coordinator, rules §9): manual callbacks (§4.1.4–5), special requests (§4.7), what is
late (§4.8), phones shared by many applicants (§4.6); and the callback panel of the
policy page.

Thin: rows through `restrict(user)` (404 outside scope), every change through
`callbacks.services`, a refusal (CallbackRefused) shown on the page, nothing changed.
"""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pinzhi.accounts.models import Role
from pinzhi.core import parameters
from pinzhi.core.masking import mask_phone
from pinzhi.org.models import Unit
from pinzhi.policies.models import Policy

from .. import rules, services
from ..candidates import covering_scopes
from ..evaluation import new_flags
from ..forms_officer import (
    AssignForm,
    DocumentForm,
    RequestForm,
    VerdictForm,
    month_bounds,
    recent_months,
    valid_month,
)
from ..models import (
    CallbackAttempt,
    CallbackRequest,
    CallbackStatus,
    ContactUpdate,
    EvaluationRun,
    Finding,
    Flag,
    ManualCallback,
    ManualDocument,
    Round,
)
from ..writing import STATUS_FIELDS

PAGE_SIZE = 25
POLICIES_PER_PHONE = 20
OPEN = (rules.WAITING, rules.ROUND_1, rules.AGENT_WINDOW, rules.ROUND_2, rules.MANUAL)
STATUS_LABELS = {
    rules.WAITING: gettext_lazy("waiting for round 1"),
    rules.ROUND_1: gettext_lazy("round 1 open"),
    rules.AGENT_WINDOW: gettext_lazy("round 1 failed: the agent confirms the contact details"),
    rules.ROUND_2: gettext_lazy("round 2 open"),
    rules.MANUAL: gettext_lazy("manual callback open"),
    rules.SUCCEEDED: gettext_lazy("succeeded"),
    rules.MANUAL_FAILED: gettext_lazy("manual callback failed"),
    rules.NOT_REQUIRED: gettext_lazy("no callback needed"),
    rules.EXEMPTED: gettext_lazy("exempted"),
}
STATUS_BADGES = {rules.SUCCEEDED: "success", rules.EXEMPTED: "success",
                 rules.NOT_REQUIRED: "secondary", rules.MANUAL: "warning",
                 rules.AGENT_WINDOW: "warning", rules.MANUAL_FAILED: "danger"}
ROUND_OF = {rules.WAITING: Round.ONE, rules.ROUND_1: Round.ONE, rules.AGENT_WINDOW: Round.ONE,
            rules.ROUND_2: Round.TWO, rules.MANUAL: Round.MANUAL}
MANUAL_FILTERS = {"mine": gettext_lazy("mine"), "unassigned": gettext_lazy("unassigned"),
                  "all": gettext_lazy("all open"), "closed": gettext_lazy("closed")}
LATE_LISTS = {
    "open": gettext_lazy("Open after the cooling-off period"),
    "manual": gettext_lazy("Manual callbacks past due"),
    "completed": gettext_lazy("Completed late"),
}


# -- who may do what -------------------------------------------------------------------


def _is_officer(user) -> bool:
    return user.has_role(services.COORDINATOR_ROLES)


def _may_see_late(user) -> bool:
    return _is_officer(user) or user.role == Role.MANAGER


def _may_request(user, policy) -> bool:
    """Officers, and the policy's own agent (the services check it is his)."""
    return _is_officer(user) or (user.agent_id is not None and user.agent_id == policy.agent_id)


def _require(allowed) -> None:
    if not allowed:
        raise Http404


def _page(request, rows, size=PAGE_SIZE):
    return Paginator(rows, size).get_page(request.GET.get("page"))


def _next(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def labelled(status: CallbackStatus) -> CallbackStatus:
    status.label = STATUS_LABELS.get(status.status, status.status)
    status.badge = STATUS_BADGES.get(status.status, "info")
    return status


# -- the callback panel of the policy page ---------------------------------------------


def _status_of(user, policy) -> tuple[CallbackStatus, dict | None]:
    """The stored state of the last evaluation; a policy never evaluated is derived now
    (nothing written), with the flags its attempts would get."""
    status = CallbackStatus.objects.restrict(user).filter(policy=policy).first()
    if status is not None:
        return status, None
    ev = services.current_state(policy)
    return CallbackStatus(policy=policy, **dict(zip(STATUS_FIELDS, ev.row, strict=True))), \
        new_flags(ev)


def _attempts(user, policy, flags: dict | None) -> list:
    attempts = list(CallbackAttempt.objects.restrict(user).live().filter(policy=policy)
                    .order_by("attempted_at"))
    for attempt in attempts:
        code = attempt.flag if flags is None else flags.get(attempt.pk, attempt.flag)
        attempt.flag_label = Flag(code).label if code in Flag.values else code
    return attempts


def callback_panel(user, policy) -> dict:
    """What `_policy_callback.html` shows; `policy` was fetched through restrict(user)."""
    if policy.voided_at is not None:
        return {"voided": True}
    if not policy.product.long_term:
        return {"needed": False}
    status, flags = _status_of(user, policy)
    now = timezone.now()
    findings = [Finding(f).label if f in Finding.values else f
                for f in status.findings.split(";") if f]
    return {
        "needed": True,
        "status": labelled(status),
        "round": ROUND_OF.get(status.status),
        "is_open": status.status in OPEN,
        "past_deadline": status.deadline_at is not None and status.status in OPEN
        and status.deadline_at < now,
        "completed_late": status.success_at is not None and status.deadline_at is not None
        and status.success_at > status.deadline_at,
        "findings": findings,
        "attempts": _attempts(user, policy, flags),
        "task": ManualCallback.objects.restrict(user).filter(policy=policy)
        .select_related("owner").first(),
        "requests": CallbackRequest.objects.restrict(user).live().filter(policy=policy)
        .select_related("requested_by", "approved_by"),
        "updates": ContactUpdate.objects.restrict(user).live().filter(policy=policy)
        .select_related("agent").order_by("changed_at"),
        "may_request": _may_request(user, policy) and status.status in OPEN,
        "is_officer": _is_officer(user),
    }


# -- manual callbacks ------------------------------------------------------------------


def _tasks(user):
    return (ManualCallback.objects.restrict(user).filter(policy__voided_at__isnull=True)
            .select_related("policy__agent__team", "policy__product", "owner"))


@login_required
def manual_list(request):
    """Open tasks in scope (mine, unassigned, all), or the closed ones."""
    user = request.user
    _require(_is_officer(user))
    tasks = _tasks(user)
    open_tasks = tasks.filter(closed_at__isnull=True).order_by("due_on", "opened_at")
    rows = {"mine": open_tasks.filter(owner=user),
            "unassigned": open_tasks.filter(owner__isnull=True),
            "all": open_tasks,
            "closed": tasks.filter(closed_at__isnull=False).order_by("-closed_at")}
    show = request.GET.get("show")
    show = show if show in rows else "all"
    context = {
        "show": show,
        "filters": [(key, label, rows[key].count()) for key, label in MANUAL_FILTERS.items()],
        "page": _page(request, rows[show]),
        "today": timezone.localdate(),
    }
    return render(request, "callbacks/manual_list.html", context)


def _get_task(user, policy_no) -> ManualCallback:
    _require(_is_officer(user))
    return get_object_or_404(_tasks(user), policy__policy_no=policy_no)


def _awaits_verdict(user, task) -> bool:
    """The state, not the task row, says whether a verdict is due (rules §4.1.5): the
    task row is only closed by a verdict, and reopened by nothing."""
    return _status_of(user, task.policy)[0].status == rules.MANUAL


def _in_manual(callback: dict) -> bool:
    status = callback.get("status")
    return status is not None and status.status == rules.MANUAL


def _manual_page(request, task, **forms):
    user = request.user
    is_open = task.closed_at is None
    callback = callback_panel(user, task.policy)
    context = {
        "task": task,
        "policy": task.policy,
        "callback": callback,
        "documents": task.documents.select_related("uploaded_by"),
        "assign_form": forms.get("assign_form") or (
            AssignForm(task=task, by=user) if is_open else None),
        "document_form": forms.get("document_form") or DocumentForm(),
        "verdict_form": forms.get("verdict_form") or (
            VerdictForm(task=task) if _in_manual(callback) else None),
        "today": timezone.localdate(),
    }
    return render(request, "callbacks/manual_detail.html", context)


@login_required
def manual_detail(request, policy_no):
    return _manual_page(request, _get_task(request.user, policy_no))


@login_required
@require_POST
def manual_assign(request, policy_no):
    user = request.user
    task = _get_task(user, policy_no)
    form = AssignForm(request.POST, task=task, by=user)
    if not form.is_valid():
        return _manual_page(request, task, assign_form=form)
    try:
        services.manual_assign(task=task, owner=form.cleaned_data["owner"], by=user)
    except services.CallbackRefused as exc:
        messages.error(request, exc.localized())
    else:
        messages.success(request, _("Owner set: %(user)s.") % {"user": task.owner})
    return redirect("callbacks-manual-detail", policy_no=policy_no)


@login_required
@require_POST
def manual_attach(request, policy_no):
    user = request.user
    task = _get_task(user, policy_no)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _manual_page(request, task, document_form=form)
    try:
        services.manual_attach(task=task, file=form.cleaned_data["file"], by=user)
    except services.CallbackRefused as exc:
        messages.error(request, exc.localized())
    else:
        messages.success(request, _("Document added."))
    return redirect("callbacks-manual-detail", policy_no=policy_no)


@login_required
@require_POST
def manual_verdict(request, policy_no):
    """The one verdict of the manual callback (rules §4.1.5), an attempt of round
    `manual`; the evaluation that follows closes the task."""
    user = request.user
    task = _get_task(user, policy_no)
    if not _awaits_verdict(user, task):
        messages.error(request, _("No manual callback of this policy awaits a verdict."))
        return redirect("callbacks-manual-detail", policy_no=policy_no)
    form = VerdictForm(request.POST, task=task)
    if form.is_valid():
        try:
            services.attempt_record(policy=task.policy, by=user, **form.service_kwargs())
        except services.CallbackRefused as exc:
            form.add_error(None, exc.localized())
        else:
            messages.success(request, _("Verdict recorded."))
            return redirect("callbacks-manual-detail", policy_no=policy_no)
    return _manual_page(request, task, verdict_form=form)


@never_cache
@login_required
def manual_document(request, policy_no, pk):
    """A document of a task, to those who may see the task; always as a download."""
    task = _get_task(request.user, policy_no)
    document = get_object_or_404(ManualDocument.objects.filter(task=task), pk=pk)
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.name)


# -- special requests ------------------------------------------------------------------


@login_required
def requests_list(request):
    """Early-callback and exemption requests in scope, pending first."""
    user = request.user
    rows = (CallbackRequest.objects.restrict(user).live()
            .filter(policy__voided_at__isnull=True)
            .select_related("policy__agent__team", "requested_by", "approved_by")
            .order_by(F("approved_on").asc(nulls_first=True), "-requested_on", "-pk"))
    context = {"page": _page(request, rows), "may_approve": _is_officer(user),
               "pending": rows.filter(approved_on__isnull=True).count()}
    return render(request, "callbacks/requests.html", context)


@login_required
def request_new(request, policy_no):
    user = request.user
    policy = get_object_or_404(Policy.objects.restrict(user).live()
                               .select_related("agent__team", "product"), policy_no=policy_no)
    _require(_may_request(user, policy))
    form = RequestForm(request.POST or None)
    if request.method == "POST" and policy.product.long_term and form.is_valid():
        try:
            services.request_add(policy=policy, by=user, **form.service_kwargs())
        except services.CallbackRefused as exc:
            form.add_error(None, exc.localized())
        else:
            messages.success(request, _("Request added; the branch coordinator approves it."))
            return redirect(policy)
    context = {"policy": policy, "form": form,
               "existing": CallbackRequest.objects.restrict(user).live().filter(policy=policy)}
    return render(request, "callbacks/request_new.html", context)


@login_required
@require_POST
def request_approve(request, pk):
    """Any user who sees the request may press; the services say who may approve."""
    row = get_object_or_404(CallbackRequest.objects.restrict(request.user).live()
                            .select_related("policy"), pk=pk)
    try:
        services.request_approve(request=row, by=request.user)
    except services.CallbackRefused as exc:
        messages.error(request, exc.localized())
    else:
        messages.success(request, _("Request of policy %(policy)s approved.")
                         % {"policy": row.policy.policy_no})
    return redirect(_next(request, reverse("callbacks-requests")))


# -- what is late ----------------------------------------------------------------------


def _top_unit(user):
    if user.unit_id:
        return user.unit
    return Unit.objects.live().filter(parent__isnull=True).order_by("path").first()


def _late_lists(user, now, month: str, unit) -> dict:
    """(a) open after the cooling-off deadline, (b) manual tasks past due, (c) completed
    after the deadline within `month` (rules §4.8)."""
    statuses = (CallbackStatus.objects.restrict(user).filter(policy__voided_at__isnull=True)
                .select_related("policy__agent__team"))
    tasks = _tasks(user)
    if unit is not None:
        statuses = statuses.filter(policy__agent__team__path__startswith=unit.path)
        tasks = tasks.filter(policy__agent__team__path__startswith=unit.path)
    start, end = month_bounds(month)
    return {
        "open": statuses.filter(status__in=OPEN, deadline_at__lt=now)
        .order_by("deadline_at", "policy_id"),
        "manual": tasks.filter(closed_at__isnull=True, due_on__lt=timezone.localdate(now))
        .order_by("due_on", "policy_id"),
        "completed": statuses.filter(success_at__gt=F("deadline_at"), success_at__gte=start,
                                     success_at__lt=end).order_by("success_at", "policy_id"),
    }


def _unit_counts(user, base, lists: dict) -> tuple[list, list]:
    """Each list counted per unit one level below `base`, one aggregate query a list."""
    children = list(Unit.objects.restrict(user).live().filter(parent=base).order_by("path")) \
        if base is not None else []
    counts = {}
    for name, rows in lists.items():
        per_unit = {f"u{c.pk}": Count("pk", filter=Q(policy__agent__team__path__startswith=c.path))
                    for c in children}
        counts[name] = rows.order_by().aggregate(total=Count("pk"), **per_unit)
    rows = [(c, [counts[name][f"u{c.pk}"] for name in lists]) for c in children]
    return rows, [counts[name]["total"] for name in lists]


@login_required
def late(request):
    """A branch view of what is late (rules §4.8), for officers and managers."""
    user = request.user
    _require(_may_see_late(user))
    now = timezone.now()
    month = request.GET.get("month")
    month = month if valid_month(month) else f"{timezone.localdate(now):%Y-%m}"
    code = request.GET.get("unit")
    unit = Unit.objects.restrict(user).live().filter(code=code).first() if code else None
    lists = _late_lists(user, now, month, unit)
    show = request.GET.get("show")
    show = show if show in lists else "open"
    by_unit, totals = _unit_counts(user, unit or _top_unit(user), lists)
    page = _page(request, lists[show])
    if show != "manual":
        for status in page:
            labelled(status)
    context = {
        "now": now, "today": timezone.localdate(now), "month": month,
        "months": recent_months(), "unit": unit, "show": show, "page": page,
        "tabs": [(key, label, n) for (key, label), n in zip(LATE_LISTS.items(), totals,
                                                            strict=True)],
        "by_unit": by_unit, "totals": totals, "list_labels": list(LATE_LISTS.values()),
        "is_officer": _is_officer(user),
        # The lists read the stored states: they are as fresh as the last run over the
        # whole unit shown (the company's, or its branch's own with per-branch timers).
        "evaluated": EvaluationRun.objects.filter(
            scope__in=covering_scopes(getattr(unit or _top_unit(user), "path", "")),
            finished_at__isnull=False).order_by("-as_of").first(),
    }
    return render(request, "callbacks/late.html", context)


# -- phones shared by many applicants --------------------------------------------------


@login_required
def shared_phones(request):
    """Applicant phones of more than N different applicants among live policies in
    scope (rules §4.6): for review, not a violation by itself."""
    user = request.user
    _require(_is_officer(user))
    limit = int(parameters.value("callbacks.shared_phone_max_applicants",
                                 on=timezone.localdate(), unit=user.unit))
    policies = Policy.objects.restrict(user).live()
    shared = (policies.exclude(applicant_phone="").values("applicant_phone")
              .annotate(applicants=Count("applicant_id_number", distinct=True),
                        policies=Count("id"))
              .filter(applicants__gt=limit).order_by("-applicants", "applicant_phone"))
    page = _page(request, shared)
    # The policies of the phones of this page only, one query; grouping them is display.
    by_phone = defaultdict(list)
    for policy in (policies.filter(applicant_phone__in=[r["applicant_phone"] for r in page])
                   .select_related("agent").order_by("policy_no")):
        by_phone[policy.applicant_phone].append(policy)
    rows = [{"phone": mask_phone(r["applicant_phone"]), "applicants": r["applicants"],
             "count": r["policies"], "policies": by_phone[r["applicant_phone"]][
                 :POLICIES_PER_PHONE]} for r in page]
    context = {"page": page, "rows": rows, "limit": limit, "shown": POLICIES_PER_PHONE}
    return render(request, "callbacks/shared_phones.html", context)


urlpatterns = [
    path("manual/", manual_list, name="callbacks-manual"),
    path("manual/<str:policy_no>/", manual_detail, name="callbacks-manual-detail"),
    path("manual/<str:policy_no>/assign/", manual_assign, name="callbacks-manual-assign"),
    path("manual/<str:policy_no>/documents/", manual_attach, name="callbacks-manual-attach"),
    path("manual/<str:policy_no>/documents/<int:pk>/", manual_document,
         name="callbacks-manual-document"),
    path("manual/<str:policy_no>/verdict/", manual_verdict, name="callbacks-manual-verdict"),
    path("requests/", requests_list, name="callbacks-requests"),
    path("requests/new/<str:policy_no>/", request_new, name="callbacks-request-new"),
    path("requests/<int:pk>/approve/", request_approve, name="callbacks-request-approve"),
    path("late/", late, name="callbacks-late"),
    path("shared-phones/", shared_phones, name="callbacks-shared-phones"),
]
