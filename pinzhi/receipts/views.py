"""The clerk's pages (rules §5, §9): registering receipts by scanning, and the list of
receipts still owed in his scope.

Thin: rows through `restrict(user)`, every change through `receipts.services`. The
registration page is built for a scanner or the keyboard alone: one field with the
focus, Enter registers, and the page comes back with the field empty and focused and
the registration at the top of this session's running list.
"""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from pinzhi.core.importing.parsers import date as parse_date
from pinzhi.core.money import yuan
from pinzhi.policies.models import Policy, PolicyStatus

from . import rules, services

SESSION_LIST = "receipts_registered"
SESSION_DAY = "receipts_day"
KEPT = 50  # lines of the running list kept in the session
PAGE_SIZE = 50
SOON_DAYS = 7


@never_cache
@login_required
def register(request):
    if not services.may_register(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    day_text = request.session.get(SESSION_DAY) or today.isoformat()
    error, typed = None, ""
    if request.method == "POST":
        typed = request.POST.get("policy_no", "").strip()
        day_text = request.POST.get("collected_on", "").strip() or today.isoformat()
        try:
            day = parse_date(day_text)
        except ValueError:
            error = services.ReceiptRefused("the collection date %(day)s is not a date "
                                            "YYYY-MM-DD", day=day_text).localized()
        else:
            try:
                done = services.receipt_register_by_number(
                    policy_no=typed, collected_on=day, by=request.user,
                    ip=request.META.get("REMOTE_ADDR"))
            except services.ReceiptRefused as refused:
                error = refused.localized()
            else:
                lines = request.session.get(SESSION_LIST, [])
                lines.insert(0, {"policy_no": done.policy_no, "collected_on": day.isoformat(),
                                 "late": done.late,
                                 "deduction": str(yuan(done.deduction_fen))})
                request.session[SESSION_LIST] = lines[:KEPT]
                request.session[SESSION_DAY] = day.isoformat() if day != today else ""
                return redirect("receipts-register")
    context = {"lines": request.session.get(SESSION_LIST, []), "error": error,
               "typed": typed if error else "", "day": day_text, "today": today}
    return render(request, "receipts/register.html", context, status=200)


def owed(user):
    """Policies in `user`'s scope that owe a receipt not collected yet."""
    collected = Q(receipt__isnull=False, receipt__voided_at__isnull=True)
    return (Policy.objects.restrict(user).live().filter(product__long_term=True)
            .exclude(status=PolicyStatus.COOLING_OFF_CANCELLED).exclude(collected)
            .select_related("agent", "product").order_by("effective_on", "policy_no"))


@never_cache
@login_required
def outstanding(request):
    """Receipts owed and not collected in the user's scope, the oldest deadline first;
    `?show=overdue` or `?show=soon` (the deadline within 7 days)."""
    today = timezone.localdate()
    rows = owed(request.user)
    show = request.GET.get("show", "")
    passed = rules.effective_bound(today)  # before it, the deadline is before today
    if show == "overdue":
        rows = rows.filter(effective_on__lt=passed)
    elif show == "soon":
        rows = rows.filter(effective_on__gte=passed, effective_on__lt=rules.effective_bound(
            today + dt.timedelta(days=SOON_DAYS + 1)))
    else:
        show = ""
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for policy in page.object_list:
        policy.deadline = rules.deadline(policy.effective_on)
        policy.overdue = policy.deadline < today
        policy.days_left = (policy.deadline - today).days
    context = {"page": page, "show": show, "today": today,
               "may_register": services.may_register(request.user)}
    return render(request, "receipts/outstanding.html", context)
