"""The rank assessment page (issue 8): per agent of a half-year in the user's scope (a
unit's subtree, a hundred a page), his row of the promotion and maintenance feed from the
precomputed figures, the recommendation and the decision, or a form to decide; the
counts by outcome; and a button deciding every undecided agent as recommended.

Thin: rows through `restrict(user)`, the feed through `reading`, every decision through
`services`; a refusal shown with nothing changed. Managers read; Role.ASSESS decides.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from pinzhi.accounts.models import Role
from pinzhi.org.models import Agent, Unit
from pinzhi.quality.scoring import half_year_bounds
from pinzhi.reports import snapshot

from . import services
from .forms import DecideAllForm, DecideForm
from .models import Outcome, RankDecision
from .reading import Ladder, as_feed, assessable, feed_rows, has_ended, last_ended_half_year

PAGE = 100
READERS = Role.ASSESS | {Role.MANAGER}


def _period(text: str | None, today) -> str:
    try:
        half_year_bounds(text or "")
    except ValueError:
        return last_ended_half_year(today)
    return text.upper()


def _unit(request) -> Unit:
    units = Unit.objects.restrict(request.user).live()
    code = request.GET.get("unit") or request.POST.get("unit")
    unit = get_object_or_404(units, code=code) if code else units.order_by("path").first()
    if unit is None:
        raise Http404
    return unit


def _rows(agents: list[Agent], period: str, today) -> list[dict]:
    """Each agent with his feed's row, the recommendation and his decision."""
    feeds = feed_rows(period, [a.pk for a in agents], today)
    decided = {d.agent_id: d for d in RankDecision.objects.filter(
        agent__in=agents, period=period).select_related("by")}
    ladder = Ladder.read()
    rows = []
    for agent in agents:
        feed = feeds.get(agent.pk)
        recommended = ladder.recommend(as_feed(feed), agent.rank) if feed else None
        rows.append({"agent": agent, "feed": feed, "recommended": recommended,
                     "decision": decided.get(agent.pk)})
    return rows


@login_required
def assessments_list(request):
    user = request.user
    if not user.has_role(READERS):
        return redirect("home")
    today = timezone.localdate()
    period, unit = _period(request.GET.get("period"), today), _unit(request)
    agents = assessable(period, Agent.objects.restrict(user)).filter(
        team__path__startswith=unit.path).order_by("code")
    page = Paginator(agents.select_related("team"), PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    counts = dict(RankDecision.objects.restrict(user).filter(
        period=period, agent__in=agents.values("pk")).values_list("outcome")
        .annotate(n=Count("id")).values_list("outcome", "n"))
    may_decide = services.may_decide(user) and has_ended(period, today)
    return render(request, "assessments/list.html", {
        "period": period, "unit": unit, "page": page,
        "rows": _rows(page.object_list, period, today) if page.object_list else [],
        "counts": [(label, counts.get(value, 0), value) for value, label in Outcome.choices],
        "undecided": page.paginator.count - sum(counts.values()),
        "ended": has_ended(period, today), "may_decide": may_decide,
        "outcomes": Outcome.choices, "as_of": snapshot.current().as_of,
        "units": Unit.objects.restrict(user).live().exclude(level="team").order_by("path")})


def _back(form_data) -> str:
    query = {k: form_data.get(k) for k in ("period", "unit", "page") if form_data.get(k)}
    return f"{reverse('assessments-list')}?{urlencode(query)}"


@login_required
@require_POST
def assessments_decide(request):
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an outcome."))
        return redirect(_back(request.POST))
    data = form.cleaned_data
    agent = get_object_or_404(Agent.objects.restrict(request.user), code=data["agent"])
    try:
        services.rank_decide(agent=agent, period=data["period"], outcome=data["outcome"],
                             note=data["note"], by=request.user)
    except services.AssessmentRefused as refused:
        messages.error(request, refused.localized())
    else:
        messages.success(request, _("Rank of %(agent)s decided.") % {"agent": agent.code})
    return redirect(_back(request.POST))


@login_required
@require_POST
def assessments_decide_all(request):
    form = DecideAllForm(request.POST)
    if not form.is_valid():
        raise Http404
    unit = get_object_or_404(Unit.objects.restrict(request.user).live(),
                             code=form.cleaned_data["unit"])
    try:
        done = services.rank_decide_as_recommended(
            agents=unit, period=form.cleaned_data["period"], by=request.user)
    except services.AssessmentRefused as refused:
        messages.error(request, refused.localized())
    else:
        messages.success(request, _("%(n)s agents decided as recommended.") % {"n": done.count})
        if done.skipped:
            messages.warning(request, _("Not decided, their rank is not in the catalogue: "
                                        "%(codes)s") % {"codes": ", ".join(done.skipped)})
    return redirect(_back(request.POST))
