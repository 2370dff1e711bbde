"""Template context: the navigation that fits the user's role (rules §9)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pinzhi.accounts.models import Role
from pinzhi.core.importing import REGISTRY

# url name -> the url names that count as "inside" that menu item
_STAFF_MENU = [
    ("home", _("Overview"), {"home"}),
    ("unit-list", _("Units"), {"unit-list", "unit-detail"}),
    ("agent-list", _("Agents"), {"agent-list", "agent-detail"}),
    ("policy-list", _("Policies"), {"policy-list", "policy-detail"}),
    ("product-list", _("Products"), {"product-list", "product-detail"}),
]
# The quality pages (pinzhi.quality.urls): officers start from their work queue, other
# staff from the half-year scores (a manager from his team's); agents, and managers who
# are agents too, have their own points.
_QUALITY_NAMES = {"quality-queue", "quality-cases", "case-detail", "case-new",
                  "quality-scores", "quality-catalogue", "quality-team"}
_QUALITY_OFFICERS = {Role.QUALITY_OFFICER, Role.HQ_QUALITY, Role.ADMIN}
# An agent sees himself only: no units, no agent list.
_AGENT_MENU = [
    ("home", _("My page"), {"home", "agent-detail"}),
    ("policy-list", _("My policies"), {"policy-list", "policy-detail"}),
    ("product-list", _("Products"), {"product-list", "product-detail"}),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    is_agent = user.role == Role.AGENT and not user.is_superuser
    current = request.resolver_match.url_name if request.resolver_match else None
    items = [
        {"url": reverse(name), "label": label, "active": current in names}
        for name, label, names in (_AGENT_MENU if is_agent else _STAFF_MENU)
    ]
    if not is_agent:  # the records, and loading them, in one menu
        items = [items[0], _group(_("Records"), "records-menu",
                                  items[1:] + _import_items(user, current))]
    items += _quality_items(user, is_agent, current)
    items += _callback_items(user, is_agent, current)
    items += _paper_items(user, is_agent, current)
    if not is_agent and user.has_role(Role.COMPLAINTS_RECEIVE | Role.COMPLAINTS_HANDLE):
        items.append({"url": reverse("complaints-list"), "label": _("Complaints"),
                      "active": current is not None and current.startswith("complaints-")})
    if not is_agent and user.has_role(Role.INSPECT | {Role.MANAGER}):
        items.append({"url": reverse("inspections-list"), "label": _("Inspections"),
                      "active": current is not None and current.startswith("inspections-")})
    people = _people_items(user, is_agent, current)
    if people:
        items.append(_group(_("Agents' affairs"), "people-menu", people))
    if not is_agent:
        from pinzhi.reports.views import STAFF

        if user.has_role(STAFF):
            items.append({"url": reverse("indicators"), "label": _("Indicators"),
                          "active": current == "indicators"})
    elif any(user.may_import(kind) for kind in REGISTRY):
        items += _import_items(user, current)
    # A team manager is usually an agent too: give him a way to his own record.
    own_agent_url = reverse("agent-detail", args=[user.agent.code]) if user.agent_id else None
    return {"nav_items": items, "own_agent_url": own_agent_url, "is_agent_view": is_agent,
            "unread_messages": _unread(user)}


def _group(label, menu_id: str, children: list[dict]) -> dict:
    """A dropdown of the menu: active when one of its items is."""
    return {"label": label, "id": menu_id, "children": children,
            "active": any(child["active"] for child in children)}


def _import_items(user, current) -> list[dict]:
    if not any(user.may_import(kind) for kind in REGISTRY):
        return []
    return [{"url": reverse("import"), "label": _("Import"), "active": current == "import"}]


# The agent's lifecycle, his training and his own voice (issue 8), one menu: url name,
# label, the roles that see it (an agent sees his own grievances), and the url names'
# prefix.
_PEOPLE_MENU = [
    ("recruitment-list", _("Recruitment"), Role.RECRUIT, "recruitment-"),
    ("assessments-list", _("Rank assessment"), Role.ASSESS | {Role.MANAGER}, "assessments-"),
    ("departures-list", _("Departures"), Role.DEPARTURE | {Role.MANAGER}, "departures-"),
    ("training-list", _("Training"), Role.TRAINING_RECORD | {Role.MANAGER, Role.SALES_ADMIN},
     "training-"),
    ("grievances-list", _("Agents' grievances"), Role.GRIEVANCE_HANDLE | {Role.AGENT},
     "grievances-"),
    ("commendations-list", _("Commendations"), Role.COMMEND | {Role.MANAGER},
     "commendations-"),
]


def _people_items(user, is_agent, current):
    return [{"url": reverse(name), "label": label,
             "active": current is not None and current.startswith(prefix)}
            for name, label, roles, prefix in _PEOPLE_MENU
            if (user.has_role(roles) and not is_agent)
            or (name == "grievances-list" and user.agent_id)]


def _quality_items(user, is_agent, current):
    items = []
    if not is_agent:
        if user.has_role(_QUALITY_OFFICERS):
            url = reverse("quality-queue")
        elif user.role == Role.MANAGER:
            url = reverse("quality-team")
        else:
            url = reverse("quality-scores-current")
        items.append({"url": url, "label": _("Quality"), "active": current in _QUALITY_NAMES})
    if user.agent_id:
        items.append({"url": reverse("my-quality"), "label": _("My points"),
                      "active": current == "my-quality"})
    return items


# The callback pages (pinzhi.callbacks.urls): operators call from the queue, officers
# (the branch's callback coordinators) work the manual callbacks, requests and the late
# list; an agent has his customers whose callback failed.
_CALLBACK_NAMES = {"callbacks-queue", "callbacks-call", "callbacks-manual",
                   "callbacks-manual-detail", "callbacks-requests", "callbacks-late",
                   "callbacks-shared-phones"}
_CALLERS = {Role.OPERATOR}


def _callback_items(user, is_agent, current):
    items = []
    if user.has_role(_CALLERS):
        items.append({"url": reverse("callbacks-queue"), "label": _("Callbacks"),
                      "active": current in _CALLBACK_NAMES})
    elif not is_agent and user.role in _QUALITY_OFFICERS | {Role.MANAGER}:
        items.append({"url": reverse("callbacks-late"), "label": _("Callbacks"),
                      "active": current in _CALLBACK_NAMES})
    if user.agent_id:
        items.append({"url": reverse("callbacks-mine"), "label": _("My callbacks"),
                      "active": current == "callbacks-mine"})
    items.append({"url": reverse("messages"), "label": _("Messages"),
                  "active": current == "messages"})
    return items


def _unread(user) -> int:
    from pinzhi.notify.models import Message

    mine = Q(user=user) | Q(agent_id=user.agent_id) if user.agent_id else Q(user=user)
    return Message.objects.filter(mine, read_at__isnull=True).count()


# Receipts, valuable documents and notices (rules §5, §7.3, §7.4): one menu item, the
# page of what is owed (an agent his own, a manager his team's, branch staff the branch's),
# which leads branch staff on to each area's pages.
_PAPER_STAFF = {Role.CLERK, Role.QUALITY_OFFICER, Role.HQ_QUALITY, Role.ADMIN, Role.MANAGER}
_PAPER_NAMES = ("owed", "receipts-", "documents-", "notices-")


def _paper_items(user, is_agent, current):
    if not (is_agent or user.has_role(_PAPER_STAFF)):
        return []
    active = bool(current and any(current.startswith(n) for n in _PAPER_NAMES))
    label = _("What I owe") if is_agent else _("Receipts and documents")
    return [{"url": reverse("owed"), "label": label, "active": active}]
