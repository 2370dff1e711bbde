"""The callback operator's pages (rules §4, §9): the queue and the call screen.

Thin: rows through `restrict(user)`, every change through `callbacks.services` (open,
take, release a call; record an attempt). A refusal (CallbackRefused) is shown with its
message and nothing changed. The call screen shows the full phone number the operator
dials, and logs that view like every reveal (core.reveal).
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pinzhi.core.masking import mask_phone
from pinzhi.core.models import Event
from pinzhi.core.reveal import reveal
from pinzhi.policies.models import Policy

from .. import rules, services
from ..forms_calls import CallForm
from ..models import CallbackAttempt, CallbackStatus, CallLock, Finding, Outcome
from ..writing import STATUS_FIELDS

PAGE_SIZE = 25
VIA = "call screen"

STATUS_LABELS = {
    rules.NOT_REQUIRED: gettext_lazy("no callback needed"),
    rules.EXEMPTED: gettext_lazy("exempted"),
    rules.WAITING: gettext_lazy("round 1 not open yet"),
    rules.ROUND_1: gettext_lazy("round 1"),
    rules.AGENT_WINDOW: gettext_lazy("round 1 failed: the agent confirms the contact"),
    rules.ROUND_2: gettext_lazy("round 2"),
    rules.MANUAL: gettext_lazy("manual callback"),
    rules.SUCCEEDED: gettext_lazy("succeeded"),
    rules.MANUAL_FAILED: gettext_lazy("manual callback failed"),
}


def _require_caller(user) -> None:
    """Operators, quality officers, head-office quality and administrators call (§9)."""
    if not user.has_role(services.CALLER_ROLES):
        raise PermissionDenied


def _policy(user, policy_no) -> Policy:
    rows = Policy.objects.restrict(user).live().select_related("agent__team", "product")
    return get_object_or_404(rows, policy_no=policy_no)


# -- the queue -------------------------------------------------------------------------


@never_cache
@login_required
def queue(request):
    """The policies that may be called now, nearest cooling-off deadline first (§4.8)."""
    user = request.user
    _require_caller(user)
    now = timezone.now()
    page = Paginator(services.queue(user, now), PAGE_SIZE).get_page(request.GET.get("page"))
    mine = set(CallLock.objects.filter(operator=user, until__gt=now)
               .values_list("policy_id", flat=True))
    for status in page.object_list:
        status.label = STATUS_LABELS.get(status.status, status.status)
        status.phone_masked = mask_phone(status.phone)
        status.late = status.deadline_at is not None and status.deadline_at < now
        status.last_day = _last_day(status.deadline_at)
        status.mine = status.policy_id in mine
    context = {"page": page, "now": now, "in_hours": rules.in_hours(now),
               "opens_at": rules.within_hours(now)}
    return render(request, "callbacks/queue.html", context)


def _last_day(deadline: dt.datetime | None) -> dt.date | None:
    """The cooling-off period ends at midnight after its last day: show that day."""
    if deadline is None:
        return None
    return timezone.localdate(deadline - dt.timedelta(microseconds=1))


@login_required
@require_POST
def take(request):
    """The first policy of the queue, locked to the operator: to its call screen."""
    _require_caller(request.user)
    policy = services.call_take_next(operator=request.user, now=timezone.now())
    if policy is None:
        messages.info(request, _("No policy may be called now."))
        return redirect("callbacks-queue")
    return redirect("callbacks-call", policy_no=policy.policy_no)


@login_required
def inbound(request):
    """A customer calls in: open his policy's call screen, whatever the queue says."""
    _require_caller(request.user)
    policy_no = request.GET.get("policy_no", "").strip()
    policy = _policy(request.user, policy_no)
    return redirect(reverse("callbacks-call", args=[policy.policy_no]) + "?inbound=1")


@login_required
@require_POST
def release(request, policy_no):
    """The operator gives the policy back to the queue without recording an attempt."""
    _require_caller(request.user)
    policy = _policy(request.user, policy_no)
    services.call_release(policy=policy, operator=request.user)
    messages.info(request, _("Policy %(policy)s is back in the queue.")
                  % {"policy": policy.policy_no})
    return redirect("callbacks-queue")


# -- the call screen -------------------------------------------------------------------


@never_cache
@login_required
def call(request, policy_no):
    """GET opens the call (the policy is locked to the operator); POST records the
    attempt and goes back to the queue."""
    user = request.user
    _require_caller(user)
    policy = _policy(user, policy_no)
    questions = services.script_for(policy)
    if request.method != "POST":
        inbound = request.GET.get("inbound") == "1"  # the customer is on the line
        try:
            services.call_open(policy=policy, operator=user, now=timezone.now(),
                               inbound=inbound)
        except services.CallbackRefused as exc:
            messages.error(request, exc.localized())
            return redirect("callbacks-queue")
        form = CallForm(questions=questions, initial={"inbound": inbound})
        return _call_page(request, policy, form)
    form = CallForm(request.POST, questions=questions)
    if form.is_valid():
        try:
            _check_lock(policy, user)
            attempt = services.attempt_record(policy=policy, by=user, **form.service_kwargs())
        except services.CallbackRefused as exc:
            form.add_error(None, exc.localized())
        else:
            messages.success(request, _recorded(attempt))
            return redirect("callbacks-queue")
    return _call_page(request, policy, form)


def _check_lock(policy: Policy, user) -> None:
    """A lock that ran out may have been taken by another operator meanwhile: then he is
    calling the customer, and this screen's result must not be recorded over his."""
    lock = CallLock.objects.filter(policy=policy).select_related("operator").first()
    if lock is not None and lock.operator_id != user.pk and lock.until > timezone.now():
        raise services.CallbackRefused(gettext_noop("%(user)s is calling policy %(policy)s"),
                                       user=lock.operator, policy=policy.policy_no)


def _recorded(attempt: CallbackAttempt) -> str:
    text = _("Recorded for policy %(policy)s: %(outcome)s.") % {
        "policy": attempt.policy.policy_no, "outcome": attempt.get_outcome_display()}
    findings = attempt.finding_list
    if attempt.outcome == Outcome.SUCCESS and findings:
        names = ", ".join(str(Finding(f).label) if f in Finding.values else f for f in findings)
        text += " " + _("The answers revealed: %(findings)s. A draft case was sent to the "
                        "quality officer.") % {"findings": names}
    status = CallbackStatus.objects.filter(policy=attempt.policy).first()
    if status is not None:
        text += " " + _("The callback is now: %(status)s.") % {
            "status": STATUS_LABELS.get(status.status, status.status)}
    return text


def _call_page(request, policy: Policy, form: CallForm):
    user, now = request.user, timezone.now()
    evaluated = services.current_state(policy, as_of=now)
    row = dict(zip(STATUS_FIELDS, evaluated.row, strict=True))
    phone = reveal(user=user, obj=policy, kind="policy", key=policy.policy_no,
                   field="applicant_phone", via=VIA, ip=request.META.get("REMOTE_ADDR"))
    current_phone = row["phone"] if row["phone"] and row["phone"] != phone else ""
    if current_phone:  # the agent's update is a full value too: its view is logged
        Event.objects.create(actor=user, action="unmask", kind="policy", key=policy.policy_no,
                             data={"field": "current_phone", "via": VIA},
                             ip=request.META.get("REMOTE_ADDR") or None)
    attempts = (CallbackAttempt.objects.restrict(user).live().filter(policy=policy)
                .select_related("recorded_by").order_by("attempted_at"))
    lock = CallLock.objects.filter(policy=policy, operator=user).first()
    context = {
        "policy": policy,
        "form": form,
        "phone": phone,
        "current_phone": current_phone,
        "state": evaluated.state,
        "status_label": STATUS_LABELS.get(row["status"], row["status"]),
        "row": row,
        "next_call_at": rules.next_call_at(evaluated.state, evaluated.params),
        "late": row["deadline_at"] is not None and row["deadline_at"] < now,
        "last_day": _last_day(row["deadline_at"]),
        "attempts": attempts,
        "lock": lock,
        "now": now,
    }
    return render(request, "callbacks/call.html", context)


urlpatterns = [
    path("", queue, name="callbacks-queue"),
    path("take/", take, name="callbacks-take"),
    path("inbound/", inbound, name="callbacks-inbound"),
    path("call/<str:policy_no>/", call, name="callbacks-call"),
    path("call/<str:policy_no>/release/", release, name="callbacks-release"),
]
