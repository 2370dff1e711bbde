"""A small company built by hand, shared by the tests.

HQ (hq)
└── GD 广东分公司 (branch)
    ├── GZ 广州支公司 (subbranch) > GZ01 天河营业部 (office) > T1, T2 (teams)
    └── SZ 深圳支公司 (subbranch) > SZ01 (office) > T3 (team)
Agents: A001, A002 in T1 (A002 is T1's manager), A003 in T2, A004 in T3.
"""

import datetime as dt
from types import SimpleNamespace

from pinzhi.accounts.models import Role, User
from pinzhi.org.models import Agent, Unit
from pinzhi.org.services import rebuild_unit_paths
from pinzhi.policies.models import Policy, Product

PASSWORD = "pinzhi-test-1"

UNITS = [
    ("HQ", "总公司", "hq", None, ""),
    ("GD", "广东分公司", "branch", "HQ", "020-83980000"),
    ("GZ", "广州支公司", "subbranch", "GD", "020-83981111"),
    ("GZ01", "天河营业部", "office", "GZ", ""),
    ("T1", "天河一组", "team", "GZ01", ""),
    ("T2", "天河二组", "team", "GZ01", ""),
    ("SZ", "深圳支公司", "subbranch", "GD", "0755-26661234"),
    ("SZ01", "南山营业部", "office", "SZ", ""),
    ("T3", "南山一组", "team", "SZ01", ""),
]

AGENTS = [
    ("A001", "张伟", "110101199003071233", "13800000001", "业务员", "T1"),
    ("A002", "王芳", "440106198502283218", "13800000002", "业务经理", "T1"),
    ("A003", "李娜", "440106199204150024", "13800000003", "业务主任", "T2"),
    ("A004", "刘洋", "440305198811110016", "13800000004", "业务员", "T3"),
]


def make_policy(no, agent, product, **kw):
    values = dict(
        applicant_name="陈静", applicant_id_number="440104197001010011",
        applicant_phone="13912345678", insured_name="陈静",
        insured_id_number="440104197001010011", premium_fen=1_000_000, commission_fen=120_000,
        signed_on=dt.date(2026, 2, 25), printed_on=dt.date(2026, 3, 2),
        effective_on=dt.date(2026, 3, 1),
    )
    values.update(kw)
    return Policy.objects.create(policy_no=no, agent=agent, product=product, **values)


def build_company():
    units = {}
    for code, name, level, parent, phones in UNITS:
        units[code] = Unit.objects.create(
            code=code, name=name, level=level, parent=units.get(parent), phones=phones
        )
    rebuild_unit_paths()
    for unit in units.values():
        unit.refresh_from_db()
    agents = {
        code: Agent.objects.create(
            code=code, name=name, id_number=idn, phone=phone, rank=rank, team=units[team],
            hired_on=dt.date(2024, 1, 1),
        )
        for code, name, idn, phone, rank, team in AGENTS
    }
    products = {
        "TRAD10": Product.objects.create(
            code="TRAD10", name="鑫福十年定期寿险", kind="traditional", long_term=True
        ),
        "ACC1": Product.objects.create(
            code="ACC1", name="安康一年意外险", kind="accident", long_term=False
        ),
        "UL1": Product.objects.create(
            code="UL1", name="金账户投资连结保险", kind="unit_linked", long_term=True
        ),
    }
    policies = {
        "P1": make_policy("P1", agents["A001"], products["TRAD10"]),
        "P2": make_policy("P2", agents["A002"], products["ACC1"]),
        "P3": make_policy("P3", agents["A003"], products["UL1"]),
        "P4": make_policy("P4", agents["A004"], products["TRAD10"]),
    }

    def user(username, role, unit=None, agent=None, **kw):
        u = User(username=username, role=role, unit=unit, agent=agent, **kw)
        u.set_password(PASSWORD)
        u.save()
        return u

    users = SimpleNamespace(
        admin=user("admin", Role.ADMIN, units["HQ"], is_staff=True),
        hq=user("hq", Role.HQ_QUALITY, units["HQ"]),
        officer=user("officer", Role.QUALITY_OFFICER, units["GZ"]),
        officer_sz=user("officer_sz", Role.QUALITY_OFFICER, units["SZ"]),
        sales=user("sales", Role.SALES_ADMIN, units["GD"]),
        clerk=user("clerk", Role.CLERK, units["GZ"]),
        operator=user("operator", Role.OPERATOR, units["GD"]),
        manager=user("manager", Role.MANAGER, units["T1"], agents["A002"]),
        agent=user("agent", Role.AGENT, units["T1"], agents["A001"]),
        agent3=user("agent3", Role.AGENT, units["T2"], agents["A003"]),
        system=user("hr", Role.SYSTEM, units["HQ"]),
    )
    return SimpleNamespace(units=units, agents=agents, products=products,
                           policies=policies, users=users)
