"""The demo company's recruitment (issue 8), so that its pages have something to show:
a handful of candidates on demo_sales's branch, one at every state: two cleared and
contracted (agents now), one cleared and waiting for his contract, one barred (dismissed
for cause by another insurer three years ago), and one with checks still pending.

Only the service functions write, so the demo's candidates are checked like anyone's; a
database that has candidates already is left as it is.
"""

import datetime as dt
import random

from pinzhi.accounts.models import User
from pinzhi.org.models import Agent, Level, Unit
from pinzhi.recruitment import rules
from pinzhi.recruitment import services as recruitment
from pinzhi.recruitment.models import Candidate

from .people import id_number_maker, mobile_maker

REGION = "440106"  # 广州市天河区
SOURCES = {
    rules.CRIMINAL_RECORD: "公安机关无犯罪记录证明",
    rules.LICENCE_REVOKED: "国家金融监督管理总局保险中介监管信息系统",
    rules.DISMISSED_FOR_CAUSE: "原任职金融机构离职证明",
    rules.INDUSTRY_BAN: "国家金融监督管理总局行政处罚信息",
    rules.CREDIT_BLACKLIST: "信用中国失信联合惩戒对象名单",
}
# (name, male, state): contracted, cleared, barred or pending
PEOPLE = (("周子涵", False, "contracted"), ("吴宇航", True, "contracted"),
          ("郑雅琪", False, "cleared"), ("冯浩然", True, "barred"),
          ("陈思远", True, "pending"))


def seed(today: dt.date) -> str:
    if Candidate.objects.exists():
        return "recruitment: the database has candidates already: none added"
    sales = User.objects.filter(username="demo_sales").select_related("unit").first()
    if sales is None or sales.unit is None:
        return "recruitment: no demo_sales user: none added"
    teams = list(Unit.objects.restrict(sales).live().filter(level=Level.TEAM)
                 .order_by("path")[:3])
    if not teams:
        return "recruitment: no team on demo_sales's branch: none added"
    rng = random.Random("demo-recruitment-1")
    make_id = id_number_maker(rng)
    mobile = mobile_maker(rng, set(Agent.objects.values_list("phone", flat=True)))
    signed = 0
    for n, (name, male, state) in enumerate(PEOPLE):
        born = (today - dt.timedelta(days=365 * rng.randint(23, 40))).toordinal()
        applied = today - dt.timedelta(days=30 - 3 * n)
        candidate = recruitment.candidate_record(
            name=name, id_number=make_id(REGION, born, male), phone=mobile(),
            team=teams[n % len(teams)], rank="业务员", applied_on=applied, by=sales)
        _check(candidate, state, applied, today, sales)
        if state == "contracted":
            signed += _sign(candidate, n, today, sales)
    return f"recruitment: {len(PEOPLE)} candidates, {signed} contracted, 1 barred, 1 pending"


def _check(candidate, state: str, applied: dt.date, today: dt.date, sales) -> None:
    """Every required kind clear, but: the barred one's dismissal three years ago; the
    pending one's credit and industry-ban checks not back yet."""
    checked = min(applied + dt.timedelta(days=5), today)
    for kind in rules.REQUIRED:
        if state == "pending" and kind in (rules.CREDIT_BLACKLIST, rules.INDUSTRY_BAN):
            continue
        barred = state == "barred" and kind == rules.DISMISSED_FOR_CAUSE
        recruitment.check_record(
            candidate=candidate, kind=kind, checked_on=checked,
            outcome=rules.BARRED if barred else rules.CLEAR, source=SOURCES[kind],
            event_on=_years_before(today, 3) if barred else None,
            note="原任职保险公司以严重违规为由解除合同" if barred else "", by=sales)


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _sign(candidate, n: int, today: dt.date, sales) -> int:
    code = f"ZM{today:%y%m}{n:02d}"
    if Agent.objects.filter(code=code).exists():
        return 0
    recruitment.contract_sign(candidate=candidate, code=code, hired_on=today, by=sales)
    return 1
