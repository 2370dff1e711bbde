"""The server-rendered pages.

Views are thin: they fetch rows, always through `Model.objects.restrict(user)` (the one
choke point of rules §9), and hand them to templates. A row outside the user's scope is
a 404, never a 403, so that a guessed URL does not confirm that the row exists.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from pinzhi.accounts.models import Role
from pinzhi.callbacks.views.officer import callback_panel
from pinzhi.core.models import Event
from pinzhi.core.reveal import may_reveal, reveal
from pinzhi.core.voiding import VOID_KINDS
from pinzhi.org.models import Agent, Unit
from pinzhi.policies.models import Policy, PolicyStatus, Product
from pinzhi.quality.managers import manager_record

from .forms import AgentFilterForm, PolicyFilterForm, ProductFilterForm
from .panels import AGENT_PANELS, POLICY_PANELS, panels_for
from .sensitive import history

PAGE_SIZE = 25
HISTORY_LIMIT = 100
STATUS_LABELS = dict(PolicyStatus.choices)



def _page(request, queryset, size=PAGE_SIZE):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


def _history(kind, key):
    """The object's log, newest first. The object itself was fetched restricted."""
    model = VOID_KINDS[kind].model  # the registry of recorded facts and their keys
    events = Event.objects.filter(kind=kind, key=key).select_related("actor")
    return history(events.order_by("-at", "-id")[:HISTORY_LIMIT], model)


def _policies(user):
    return Policy.objects.restrict(user).live().select_related("agent", "product")


def _is_agent_view(user) -> bool:
    return user.role == Role.AGENT and not user.is_superuser


# -- home ------------------------------------------------------------------------------


@login_required
def home(request):
    user = request.user
    if _is_agent_view(user):
        return _agent_home(request)
    policies = _policies(user)
    months = (
        policies.annotate(month=TruncMonth("printed_on")).values("month")
        .annotate(n=Count("id")).order_by("-month")[:12]
    )
    chart = [{"month": f"{m['month']:%Y-%m}", "n": m["n"]} for m in reversed(months)]
    context = {
        "units": Unit.objects.restrict(user).live().count(),
        "agents": Agent.objects.restrict(user).live().filter(status="active").count(),
        "policies": policies.count(),
        "by_status": [
            {**row, "label": STATUS_LABELS.get(row["status"], row["status"])}
            for row in policies.values("status").annotate(n=Count("id")).order_by("status")
        ],
        "chart": chart,
    }
    return render(request, "web/home_staff.html", context)


def _agent_home(request):
    user = request.user
    agent = Agent.objects.restrict(user).select_related("team").filter(pk=user.agent_id).first()
    policies = _policies(user)
    from pinzhi.reports.home import agent_summary

    context = {
        "agent": agent,
        "page": _page(request, policies, size=10),
        "policy_count": policies.count(),
        "in_force": policies.filter(status="in_force").count(),
        "quality": agent_summary(agent) if agent is not None else None,
    }
    return render(request, "web/home_agent.html", context)


# -- units -----------------------------------------------------------------------------


@login_required
def unit_list(request):
    units = list(
        Unit.objects.restrict(request.user).live()
        .annotate(agent_count=Count("agents", filter=Q(agents__voided_at__isnull=True)))
        .order_by("path")
    )
    # Indent relative to the top of the user's scope, not to head office.
    top = min((u.depth for u in units), default=0)
    tree = [(u, u.depth - top) for u in units]
    return render(request, "web/unit_list.html", {"tree": tree})


@login_required
def unit_detail(request, code):
    user = request.user
    unit = get_object_or_404(Unit.objects.restrict(user), code=code)
    codes = unit.path.strip("/").split("/")[:-1]
    visible = {u.code: u for u in Unit.objects.restrict(user).filter(code__in=codes)}
    agents = (
        Agent.objects.restrict(user).live().filter(team__path__startswith=unit.path)
        .select_related("team")
    )
    context = {
        "unit": unit,
        "breadcrumbs": [visible[c] for c in codes if c in visible],
        "children": Unit.objects.restrict(user).live().filter(parent=unit),
        "page": _page(request, agents),
        "policy_count": _policies(user).filter(agent__team__path__startswith=unit.path).count(),
        "events": _history("unit", unit.code),
    }
    return render(request, "web/unit_detail.html", context)


# -- agents ----------------------------------------------------------------------------


@login_required
def agent_list(request):
    form = AgentFilterForm(request.GET, user=request.user)
    agents = form.apply(Agent.objects.restrict(request.user).live().select_related("team"))
    return render(request, "web/agent_list.html", {"form": form, "page": _page(request, agents)})


@login_required
def agent_detail(request, code):
    user = request.user
    agent = get_object_or_404(Agent.objects.restrict(user).select_related("team"), code=code)
    context = {
        "agent": agent,
        "team_visible": Unit.objects.restrict(user).filter(pk=agent.team_id).exists(),
        "page": _page(request, _policies(user).filter(agent=agent)),
        "events": _history("agent", agent.code),
        "managed": manager_record(agent, user, timezone.localdate()),
        "panels": panels_for(AGENT_PANELS, agent, user, timezone.localdate()),
    }
    return render(request, "web/agent_detail.html", context)


# -- products --------------------------------------------------------------------------


@login_required
def product_list(request):
    form = ProductFilterForm(request.GET, user=request.user)
    products = form.apply(Product.objects.restrict(request.user).live())
    return render(
        request, "web/product_list.html", {"form": form, "page": _page(request, products)}
    )


@login_required
def product_detail(request, code):
    user = request.user
    product = get_object_or_404(Product.objects.restrict(user), code=code)
    context = {
        "product": product,
        "policy_count": _policies(user).filter(product=product).count(),
        "events": _history("product", product.code),
    }
    return render(request, "web/product_detail.html", context)


# -- policies --------------------------------------------------------------------------


@login_required
def policy_list(request):
    form = PolicyFilterForm(request.GET, user=request.user)
    policies = form.apply(_policies(request.user))
    return render(request, "web/policy_list.html", {"form": form, "page": _page(request, policies)})


@login_required
def policy_detail(request, policy_no):
    queryset = Policy.objects.restrict(request.user).select_related("agent__team", "product")
    policy = get_object_or_404(queryset, policy_no=policy_no)
    context = {"policy": policy, "events": _history("policy", policy.policy_no),
               "callback": callback_panel(request.user, policy),
               "panels": panels_for(POLICY_PANELS, policy, request.user, timezone.localdate())}
    return render(request, "web/policy_detail.html", context)


# -- reveal a masked value -------------------------------------------------------------


@never_cache
@login_required
def unmask(request, kind, key, field):
    """The full value of one whitelisted field, logged (rules §9). 404 for everyone else."""
    user = request.user
    if not may_reveal(user, kind, field):
        raise Http404
    model, key_field = VOID_KINDS[kind].model, VOID_KINDS[kind].key_field
    obj = get_object_or_404(model.objects.restrict(user), **{key_field: key})
    value = reveal(user=user, obj=obj, kind=kind, key=key, field=field, via="web",
                   ip=request.META.get("REMOTE_ADDR"))
    return render(request, "web/_revealed.html", {"value": value})
