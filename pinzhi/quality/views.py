"""The quality pages (rules §7, §9): the officers' queue, cases, the agent's points, the
team's standing, the half-year scores and the catalogue.

Thin: rows come through `Model.objects.restrict(user)`, every change through
`pinzhi.quality.services`. A row outside the user's scope is a 404; a change the services
refuse (CaseRefused) is reported on the page with their message, and nothing changed.
"""

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pinzhi.accounts.models import Role
from pinzhi.core import parameters
from pinzhi.core.calendar import load_calendar
from pinzhi.core.models import Event
from pinzhi.core.money import round_half_up
from pinzhi.org.models import Agent
from pinzhi.web.sensitive import history, mask_value

from . import scores as score_data
from . import services
from .catalogue import scheme_in_force
from .forms import (
    CaseDraftForm,
    CaseFilterForm,
    EvidenceForm,
    SchemeForm,
    VersionForm,
    recent_periods,
    scheme_text,
    valid_period,
)
from .models import (
    Case,
    CaseAttachment,
    CaseStatus,
    StandingScheme,
    ViolationType,
    ViolationVersion,
)
from .scoring import Score, half_year_bounds, half_year_of

PAGE_SIZE = 25
SCORES_PAGE_SIZE = 50
QUEUE_LIMIT = 100
HISTORY_LIMIT = 100
TEAM_ROLES = frozenset({Role.MANAGER}) | services.OFFICER_ROLES
HIDDEN_FROM_AGENT = (CaseStatus.DRAFT, CaseStatus.DISMISSED)  # he was never told of them

CASE_ACTIONS = {
    "case.drafted": gettext_lazy("drafted"),
    "case.confirmed": gettext_lazy("confirmed"),
    "case.dismissed": gettext_lazy("dismissed"),
    "case.appealed": gettext_lazy("appealed"),
    "case.upheld": gettext_lazy("appeal rejected"),
    "case.overturned": gettext_lazy("overturned"),
    "case.voided": gettext_lazy("voided"),
    "case.file_added": gettext_lazy("evidence file added"),
}
DETAIL_LABELS = {
    "note": gettext_lazy("note"),
    "reason": gettext_lazy("reason"),
    "type": gettext_lazy("violation"),
    "occurred_on": gettext_lazy("occurred on"),
    "source": gettext_lazy("found by way of"),
    "file": gettext_lazy("file"),
    "by_rule": gettext_lazy("rule"),
    "rule_key": gettext_lazy("rule"),
    "policy": gettext_lazy("policy"),
}

# action -> (service, the POST field it takes, its keyword, the message when done)
TRANSITIONS = {
    "confirm": (services.case_confirm, "note", gettext_lazy("Case confirmed.")),
    "dismiss": (services.case_dismiss, "note", gettext_lazy("Case dismissed.")),
    "uphold": (services.appeal_uphold, "note", gettext_lazy("Appeal rejected: the case stands.")),
    "overturn": (services.appeal_overturn, "note",
                 gettext_lazy("Case overturned: its points no longer count.")),
    "appeal": (services.case_appeal, "reason", gettext_lazy("Your appeal has been recorded.")),
}


# -- who may do what -------------------------------------------------------------------


def _is_agent_view(user) -> bool:
    return user.role == Role.AGENT and not user.is_superuser


def _is_staff(user) -> bool:
    return not _is_agent_view(user)


def _is_officer(user) -> bool:
    return user.has_role(services.OFFICER_ROLES)


def _is_head_office(user) -> bool:
    return user.has_role(services.CATALOGUE_ROLES)


def _require(allowed) -> None:
    if not allowed:
        raise Http404


def case_actions(case: Case, user, now: dt.datetime | None = None) -> dict:
    """The buttons a user gets on a case, by his role and the case's state.

    The services decide in the end; this only spares users buttons that would be refused.
    """
    now = now or timezone.now()
    live = case.voided_at is None
    officer = _is_officer(user) and live
    appealed = case.status == CaseStatus.APPEALED
    deadline = services.appeal_deadline(case) if case.status == CaseStatus.CONFIRMED else None
    own = user.agent_id is not None and user.agent_id == case.agent_id
    return {
        "confirm": officer and case.status == CaseStatus.DRAFT,
        "dismiss": officer and case.status == CaseStatus.DRAFT,
        "decide": officer and appealed and case.decided_by_id != user.pk,
        "confirmer": officer and appealed and case.decided_by_id == user.pk,
        "appeal": live and own and deadline is not None and now <= deadline,
        "deadline": deadline,
    }


# -- rows ------------------------------------------------------------------------------


def _page(request, rows, size=PAGE_SIZE):
    return Paginator(rows, size).get_page(request.GET.get("page"))


def _cases(user):
    """The cases a user may see; an agent not his drafts or dismissed cases."""
    cases = Case.objects.restrict(user).select_related(
        "agent__team", "type", "version", "policy", "decided_by", "reviewed_by")
    if _is_agent_view(user):
        cases = cases.live().exclude(status__in=HIDDEN_FROM_AGENT)
    return cases


def _get_case(user, case_no) -> Case:
    return get_object_or_404(_cases(user), case_no=case_no)


def _next(request, default: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


def _case_history(case: Case) -> list:
    events = Event.objects.filter(kind="case", key=case.case_no).select_related("actor")
    rows = history(events.order_by("-at", "-id")[:HISTORY_LIMIT], Case)
    for row in rows:
        data = row.event.data if isinstance(row.event.data, dict) else {}
        row.action = CASE_ACTIONS.get(row.event.action, row.action)
        row.details = [(DETAIL_LABELS.get(k, k), mask_value(k, v))
                       for k, v in data.items() if v not in ("", None)]
    return rows


def _score_of(agent: Agent, period: str, today: dt.date) -> Score:
    agents = Agent.objects.filter(pk=agent.pk)
    for _agent, score in score_data.half_year_scores(period, as_of=today, agents=agents):
        return score
    return Score(agent.pk)


def _per_agent(total_tenths: int, agents: int) -> Decimal:
    if not agents:
        return Decimal("0.0")
    return round_half_up(Decimal(total_tenths) / 10 / agents, 1)


# -- the officers' work queue ----------------------------------------------------------


def _warning_limit(user, today: dt.date) -> dt.date:
    days = parameters.value("quality.deadline_warning_working_days", on=today, unit=user.unit)
    return load_calendar().add_working_days(today, int(days))


@login_required
def queue(request):
    """Drafts to confirm or dismiss, appeals to decide, deadlines near or past."""
    user = request.user
    _require(_is_officer(user))
    today = timezone.localdate()
    limit = _warning_limit(user, today)
    open_cases = _cases(user).live().filter(
        status__in=[CaseStatus.DRAFT, CaseStatus.APPEALED]
    ).order_by(F("due_on").asc(nulls_last=True), "found_on", "case_no")
    drafts = open_cases.filter(status=CaseStatus.DRAFT)
    appeals = open_cases.filter(status=CaseStatus.APPEALED)
    due = open_cases.filter(due_on__isnull=False, due_on__lte=limit)
    context = {
        "today": today,
        "limit": limit,
        "drafts": drafts[:QUEUE_LIMIT],
        "appeals": appeals[:QUEUE_LIMIT],
        "due": due[:QUEUE_LIMIT],
        "counts": {
            "drafts": drafts.count(),
            "appeals": appeals.count(),
            "near": due.filter(due_on__gte=today).count(),
            "overdue": due.filter(due_on__lt=today).count(),
        },
    }
    return render(request, "quality/queue.html", context)


# -- cases -----------------------------------------------------------------------------


@login_required
def case_list(request):
    user = request.user
    if _is_agent_view(user):
        return redirect("my-quality")
    form = CaseFilterForm(request.GET, user=user)
    cases = form.apply(_cases(user).live())
    context = {"form": form, "page": _page(request, cases), "today": timezone.localdate(),
               "may_draft": _is_officer(user)}
    return render(request, "quality/case_list.html", context)


@login_required
def case_detail(request, case_no):
    user = request.user
    case = _get_case(user, case_no)
    may_upload = _is_officer(user) and case.voided_at is None
    context = {
        "case": case,
        "actions": case_actions(case, user),
        "attachments": case.attachments.select_related("uploaded_by").order_by("uploaded_at"),
        "evidence_form": EvidenceForm() if may_upload else None,
        "events": _case_history(case),
        "today": timezone.localdate(),
    }
    return render(request, "quality/case_detail.html", context)


@login_required
def case_new(request):
    """An officer drafts a case from a complaint or an audit (services.case_draft)."""
    user = request.user
    _require(_is_officer(user))
    form = CaseDraftForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.case_draft(
                agent=data["agent"], violation_code=data["type"].code,
                occurred_on=data["occurred_on"], source=data["source"], by=user,
                policy=data["policy"], evidence=data["evidence"])
        except services.CaseRefused as exc:
            form.add_error(None, exc.localized())
        else:
            messages.success(request, _("Case %(no)s drafted.") % {"no": case.case_no})
            return redirect(case)
    return render(request, "quality/case_new.html", {"form": form})


@login_required
@require_POST
def case_action(request, case_no, action):
    """confirm, dismiss, uphold, overturn, appeal: each through its service."""
    if action not in TRANSITIONS:
        raise Http404
    case = _get_case(request.user, case_no)
    service, field, done = TRANSITIONS[action]
    try:
        service(case=case, by=request.user, **{field: request.POST.get(field, "")})
    except services.CaseRefused as exc:
        messages.error(request, exc.localized())
    else:
        messages.success(request, done)
    return redirect(_next(request, case.get_absolute_url()))


@login_required
@require_POST
def evidence_upload(request, case_no):
    user = request.user
    case = _get_case(user, case_no)
    _require(_is_officer(user) and case.voided_at is None)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        services.case_attach_file(case=case, file=form.cleaned_data["file"], by=user)
        messages.success(request, _("Evidence file added."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(case)


@never_cache
@login_required
def evidence_file(request, case_no, pk):
    """An evidence file, only to those who may see its case; always as a download."""
    case = _get_case(request.user, case_no)
    attachment = get_object_or_404(CaseAttachment.objects.filter(case=case), pk=pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True,
                        filename=attachment.name)


# -- the agent's own page --------------------------------------------------------------


@login_required
def my_quality(request):
    """His points, cases and standing this half-year and the last; appeal buttons."""
    user = request.user
    _require(user.agent_id)
    agent = get_object_or_404(Agent.objects.restrict(user).select_related("team"),
                              pk=user.agent_id)
    today, now = timezone.localdate(), timezone.now()
    periods = [(p, _score_of(agent, p, today)) for p in recent_periods(2, today)]
    priced = {no: t for _p, score in periods for no, t in score.case_points.items()}
    cases = _cases(user).live().filter(agent=agent).exclude(status__in=HIDDEN_FROM_AGENT)
    rows = [(case, priced.get(case.case_no, case.version.points_tenths if case.version else 0),
             case_actions(case, user, now)) for case in cases]
    context = {"agent": agent, "periods": periods, "rows": rows}
    return render(request, "quality/me.html", context)


# -- the manager's team ----------------------------------------------------------------


def _period_param(request) -> str:
    period = request.GET.get("period") or half_year_of(timezone.localdate())
    if not valid_period(period):
        raise Http404
    return period


def _team_summaries(rows) -> list[dict]:
    by_team: dict = {}
    for agent, score in rows:
        team = by_team.setdefault(agent.team_id, {"team": agent.team, "agents": 0,
                                                  "tenths": 0, "cases": 0})
        team["agents"] += 1
        team["tenths"] += score.points_tenths
        team["cases"] += score.cases
    for team in by_team.values():
        team["per_agent"] = _per_agent(team["tenths"], team["agents"])
    return sorted(by_team.values(), key=lambda t: t["team"].path)


@login_required
def team(request):
    """The agents of the manager's subtree: points, cases, standing; the team's points
    per agent (rules §7.6)."""
    user = request.user
    _require(user.has_role(TEAM_ROLES) and user.unit_id)
    period = _period_param(request)
    agents = Agent.objects.restrict(user).filter(team__path__startswith=user.unit.path)
    rows = sorted(score_data.half_year_scores(period, as_of=timezone.localdate(), agents=agents),
                  key=lambda r: (-r[1].points_tenths, r[0].code))
    total = sum(s.points_tenths for _a, s in rows)
    context = {
        "period": period,
        "periods": recent_periods(4),
        "rows": rows,
        "teams": _team_summaries(rows),
        "total": total,
        "per_agent": _per_agent(total, len(rows)),
    }
    return render(request, "quality/team.html", context)


# -- the half-year scores --------------------------------------------------------------


@login_required
def scores_current(request):
    _require(_is_staff(request.user))
    return redirect("quality-scores", period=half_year_of(timezone.localdate()))


@login_required
def score_list(request, period):
    """Every agent in scope: points, cases, standing, consequences; corrections once
    head office has closed the half-year."""
    user = request.user
    _require(_is_staff(user) and valid_period(period))
    today = timezone.localdate()
    rows = sorted(score_data.half_year_scores(period, as_of=today,
                                              agents=Agent.objects.restrict(user)),
                  key=lambda r: (-r[1].points_tenths, r[0].code))
    by_standing = Counter(s.standing for _a, s in rows)
    if standing := request.GET.get("standing"):
        rows = [r for r in rows if r[1].standing == standing]
    close = score_data.closed(period)
    corrections = None
    if close is not None:
        changed = score_data.corrections(period, close).values("pk")
        corrections = _cases(user).filter(pk__in=changed).order_by("occurred_on", "case_no")
    context = {
        "period": period,
        "periods": recent_periods(4),
        "today": today,
        "bounds": half_year_bounds(period),
        "page": _page(request, rows, SCORES_PAGE_SIZE),
        "by_standing": [(s, by_standing.get(s, 0)) for s in
                        ("good", "warned", "restricted", "failed", "termination")],
        "standing": standing,
        "close": close,
        "corrections": corrections,
        "may_close": _is_head_office(user) and close is None,
    }
    return render(request, "quality/scores.html", context)


@login_required
@require_POST
def half_year_close(request, period):
    _require(_is_staff(request.user) and valid_period(period))
    try:
        services.half_year_close(period=period, by=request.user)
    except services.CaseRefused as exc:
        messages.error(request, exc.localized())
    else:
        messages.success(request, _("%(period)s is closed: later changes are listed as "
                                    "corrections.") % {"period": period})
    return redirect("quality-scores", period=period)


# -- the catalogue and thresholds ------------------------------------------------------


def _catalogue_editor(user) -> bool:
    return _is_head_office(user) or user.role == Role.QUALITY_OFFICER


def _catalogue_page(request, version_form=None, scheme_form=None):
    user = request.user
    head = _is_head_office(user)
    versions = ViolationVersion.objects.select_related("unit", "type", "created_by") \
        .order_by("valid_from", "unit__path")
    types = ViolationType.objects.select_related("owner").prefetch_related(
        Prefetch("versions", queryset=versions))
    if version_form is None and _catalogue_editor(user):
        version_form = VersionForm(user=user, head_office=head)
    if scheme_form is None and head:
        current = scheme_in_force(on=timezone.localdate())
        scheme_form = SchemeForm(initial={
            "lines": scheme_text(current.lines),
            "single_case": Decimal(current.single_case_termination_tenths) / 10})
    context = {
        "types": types,
        "schemes": StandingScheme.objects.select_related("unit", "created_by")
        .order_by("-valid_from"),
        "version_form": version_form,
        "scheme_form": scheme_form,
    }
    return render(request, "quality/catalogue.html", context)


@login_required
def catalogue(request):
    _require(_is_staff(request.user))
    return _catalogue_page(request)


@login_required
@require_POST
def catalogue_version_add(request):
    user = request.user
    _require(_is_staff(user))
    form = VersionForm(request.POST, user=user, head_office=_is_head_office(user))
    if form.is_valid():
        try:
            version = services.catalogue_add_version(by=user, **form.service_kwargs())
        except services.CaseRefused as exc:
            messages.error(request, exc.localized())
        else:
            messages.success(request, _("Version of %(code)s from %(day)s added.")
                             % {"code": version.type.code, "day": version.valid_from})
            return redirect("quality-catalogue")
    return _catalogue_page(request, version_form=form)


@login_required
@require_POST
def catalogue_scheme_add(request):
    user = request.user
    _require(_is_staff(user))
    form = SchemeForm(request.POST)
    if form.is_valid():
        try:
            scheme = services.scheme_add_version(by=user, **form.service_kwargs())
        except services.CaseRefused as exc:
            messages.error(request, exc.localized())
        else:
            messages.success(request, _("Thresholds from %(day)s added.")
                             % {"day": scheme.valid_from})
            return redirect("quality-catalogue")
    return _catalogue_page(request, scheme_form=form)


# -- the warning letter ----------------------------------------------------------------


@never_cache
@login_required
def warning_letter(request, period, agent_code):
    """The warning letter (rules §7.5) of a warned agent for a half-year, as a PDF:
    for staff of his units, and for the agent himself. Printing it is logged."""
    from .letters import warning_letter_pdf

    _require(valid_period(period))
    agent = get_object_or_404(Agent.objects.restrict(request.user).select_related("team"),
                              code=agent_code)
    today = timezone.localdate()
    score = _score_of(agent, period, today)
    _require("warning_letter" in score.consequences)
    pdf = warning_letter_pdf(agent=agent, period=period, score=score, issued_on=today)
    Event.objects.create(actor=request.user, action="warning_letter.printed", kind="agent",
                         key=agent.code, data={"period": period,
                                               "points_tenths": score.points_tenths})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="warning-{period}-{agent.code}.pdf"'
    return response
