"""The demo logins: one user per role, placed on real units and agents of the demo company.

They are found by position in the loaded tree (the first branch, its first sub-branch, the
first team manager there), not by the generator's codes, so they also fit a company that
was loaded from other files. Running it again updates the same users: idempotent.
"""

import unicodedata
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q
from django.utils import translation

from pinzhi.accounts.models import Role, User
from pinzhi.demo import data
from pinzhi.org.models import Agent, Unit

DEMO_PASSWORD = "pinzhi-demo"
URL = "http://127.0.0.1:8000/"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    label_zh: str
    place: str  # hq, branch, subbranch, manager or agent: where the scope comes from


DEMO_USERS = (
    DemoUser("demo_admin", Role.ADMIN, "系统管理员", "hq"),
    DemoUser("demo_hq", Role.HQ_QUALITY, "总公司品质管理", "hq"),
    DemoUser("demo_officer", Role.QUALITY_OFFICER, "分公司品质管理岗", "branch"),
    DemoUser("demo_sales", Role.SALES_ADMIN, "销售管理（佣金岗）", "branch"),
    # A second sales administrator of the same branch: a settlement is closed by another
    # person than the one who computed it (rules §6, four eyes).
    DemoUser("demo_sales2", Role.SALES_ADMIN, "销售管理（佣金复核）", "branch"),
    DemoUser("demo_clerk", Role.CLERK, "支公司内勤", "subbranch"),
    DemoUser("demo_operator", Role.OPERATOR, "回访专员", "branch"),
    DemoUser("demo_manager", Role.MANAGER, "团队主管", "manager"),
    DemoUser("demo_agent", Role.AGENT, "业务员", "agent"),
    DemoUser("demo_hr", Role.SYSTEM, "人事薪酬系统", "hq"),
)


def _first(queryset):
    return queryset.filter(voided_at__isnull=True).first()


def _places() -> dict[str, tuple[Unit, Agent | None]]:
    """The unit (and agent) each kind of place designates in the loaded tree."""
    hq = _first(Unit.objects.filter(level="hq").order_by("path"))
    branch = _first(Unit.objects.filter(level="branch").order_by("path")) or hq
    sub = _first(Unit.objects.filter(level="subbranch", path__startswith=branch.path)
                 .order_by("path")) or branch
    active = Agent.objects.filter(status=Agent.Status.ACTIVE, voided_at__isnull=True)
    manager = _unlinked(active.filter(rank=data.MANAGER, team__path__startswith=sub.path)
                        .order_by("team__path", "code"), "demo_manager")
    if manager is None:
        raise LookupError("no active team manager (业务经理) to stand for demo_manager")
    agents = active.exclude(pk=manager.pk).order_by("code")
    agent = (_unlinked(agents.filter(team=manager.team, rank=data.AGENT), "demo_agent")
             or _unlinked(agents.filter(team__path__startswith=sub.path), "demo_agent")
             or _unlinked(agents, "demo_agent"))
    if agent is None:
        raise LookupError("no active agent to stand for demo_agent")
    return {
        "hq": (hq, None), "branch": (branch, None), "subbranch": (sub, None),
        "manager": (manager.team, manager), "agent": (agent.team, agent),
    }


def _unlinked(agents, username: str) -> Agent | None:
    """The first agent not already the record of another user (the link is one-to-one)."""
    return agents.filter(Q(user__isnull=True) | Q(user__username=username)).first()


def ensure_demo_users() -> list[User]:
    """Create or update the demo users, in DEMO_USERS order, all with DEMO_PASSWORD."""
    places = _places()
    # One hash for all: hashing is deliberately slow, and these share a password anyway.
    password = make_password(DEMO_PASSWORD)
    users = []
    with transaction.atomic():
        for spec in DEMO_USERS:
            unit, agent = places[spec.place]
            admin = spec.role == Role.ADMIN
            user, _ = User.objects.update_or_create(
                username=spec.username,
                defaults=dict(role=spec.role, unit=unit, agent=agent, password=password,
                              is_superuser=admin, is_staff=admin, is_active=True),
            )
            users.append(user)
    return users


def existing_demo_users() -> list[User]:
    by_name = {u.username: u for u in User.objects.filter(
        username__in=[s.username for s in DEMO_USERS]).select_related("unit", "agent")}
    return [by_name[s.username] for s in DEMO_USERS if s.username in by_name]


def scope_text(user: User) -> str:
    if user.role in Role.ALL_SCOPE:
        return "全部 all"
    if user.role == Role.AGENT and user.agent:
        return f"本人 himself: {user.agent.name} ({user.agent.code})"
    unit = f"{user.unit.name} ({user.unit.code})" if user.unit else "-"
    if user.agent:
        return f"{unit}, 本人 {user.agent.name} ({user.agent.code})"
    return unit


def login_table(users: list[User]) -> str:
    """The logins as an aligned text table, Chinese and English role names."""
    labels = {s.username: s.label_zh for s in DEMO_USERS}
    with translation.override("en"):
        rows = [["角色 role", "用户名 username", "密码 password", "范围 scope"]]
        rows += [
            [f"{labels.get(u.username, '')} {Role(u.role).label}", u.username, DEMO_PASSWORD,
             scope_text(u)]
            for u in users
        ]
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    lines = ["".join(_pad(c, w) for c, w in zip(r, widths, strict=False)) + r[-1]
             for r in rows]
    lines.insert(1, "-" * (sum(widths) + 2 * len(widths) + 20))
    return "\n".join([*lines, "", f"打开 Open {URL}"])


def _width(text: str) -> int:
    """Display width: CJK characters take two columns in a terminal."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text) + 2)
