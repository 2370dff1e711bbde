"""The recruitment pages: the candidates in the user's scope with their state (checks
pending, cleared, barred, contracted) and the form to record one; a candidate's page with
his checks, the verdict as of today with its reasons, and the forms to record a check
and to sign the contract.

Thin: rows through `restrict(user)` (404 outside scope), every change through
`recruitment.services`, a refusal shown on the page with nothing changed.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from pinzhi.accounts.models import Role
from pinzhi.web.posting import form_post

from . import services
from .forms import CandidateForm, CheckForm, SignForm
from .models import Candidate
from .verdicts import verdict_for, with_verdicts

PAGE_SIZE = 25
STATE_LABELS = {
    "pending": pgettext_lazy("candidate", "checks pending"),
    "cleared": pgettext_lazy("candidate", "cleared"),
    "barred": pgettext_lazy("candidate", "barred"),
    "contracted": pgettext_lazy("candidate", "contracted"),
}
STATE_BADGES = {"pending": "warning", "cleared": "success", "barred": "danger",
                "contracted": "secondary"}
FILTERS = {state: label for state, label in STATE_LABELS.items()}
READERS = Role.RECRUIT | {Role.HQ_QUALITY, Role.QUALITY_OFFICER}


def may_see(user) -> bool:
    return user.has_role(READERS)


def _candidates(user):
    return Candidate.objects.restrict(user).live().select_related("team", "agent")


@login_required
def recruitment_list(request, form=None):
    if not may_see(request.user):
        return redirect("home")
    today = timezone.localdate()
    show = request.GET.get("show", "")
    show = show if show in FILTERS else ""
    candidates = _candidates(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        candidates = candidates.filter(Q(candidate_no__icontains=query)
                                       | Q(name__icontains=query)
                                       | Q(agent__code__iexact=query))
    if show == "contracted":
        candidates = candidates.filter(agent__isnull=False)
    elif show:
        candidates = candidates.filter(agent__isnull=True)
    candidates = candidates.order_by("-applied_on", "candidate_no")
    if show and show != "contracted":  # the state is the rules', not a copy of it in SQL
        rows = [c for c in with_verdicts(candidates, today) if c.verdict.state == show]
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    else:
        page = Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = with_verdicts(page.object_list, today)
    for candidate in page.object_list:
        candidate.state_label = STATE_LABELS[candidate.verdict.state]
        candidate.state_badge = STATE_BADGES[candidate.verdict.state]
    may_recruit = services.may_recruit(request.user)
    form = form or CandidateForm(user=request.user, initial={"applied_on": today})
    return render(request, "recruitment/list.html", {
        "page": page, "show": show, "filters": FILTERS.items(), "q": query,
        "may_recruit": may_recruit,
        "form": form if may_recruit else None})


@login_required
@require_POST
def candidate_new(request):
    form = CandidateForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            candidate = services.candidate_record(by=request.user, **form.cleaned_data)
        except services.RecruitmentRefused as refused:
            form.add_error(None, refused.localized())
        else:
            messages.success(request, _("Candidate %(no)s recorded.")
                             % {"no": candidate.candidate_no})
            return redirect(candidate)
    return recruitment_list(request, form=form)


@login_required
def candidate_detail(request, candidate_no, forms=None):
    if not may_see(request.user):
        return redirect("home")
    candidate = get_object_or_404(_candidates(request.user), candidate_no=candidate_no)
    today = timezone.localdate()
    verdict = verdict_for(candidate, today)
    forms = {"check": CheckForm(initial={"checked_on": today}, prefix="check"),
             "sign": SignForm(initial={"hired_on": today}, prefix="sign"),
             **(forms or {})}
    may_act = candidate.agent_id is None and services.may_recruit(request.user)
    return render(request, "recruitment/detail.html", {
        "candidate": candidate, "verdict": verdict, "state": STATE_LABELS[verdict.state],
        "badge": STATE_BADGES[verdict.state],
        "checks": candidate.checks.select_related("by").order_by("checked_on", "id"),
        "forms": forms, "may_act": may_act})


def _candidate(request, candidate_no) -> Candidate:
    return get_object_or_404(_candidates(request.user), candidate_no=candidate_no)


def _post(name, form_class, run, done):
    return form_post(name=name, form_class=form_class, find=_candidate, page=candidate_detail,
                     run=run, subject="candidate", done=done)


candidate_check = _post("check", CheckForm, services.check_record, gettext_lazy("Check recorded."))
candidate_sign = _post("sign", SignForm, services.contract_sign,
                       gettext_lazy("Contract signed: the agent is recorded."))
