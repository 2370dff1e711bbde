"""Demo commendations (嘉奖, issue 8): a dozen on the demo branch's agents (the demo agent
among them), awarded by their team or the branch over the last half-year, recorded by the
branch's sales administration. Through the service only; deterministic; idempotent."""

import datetime as dt
import random

from pinzhi.accounts.models import User
from pinzhi.commendations.models import Commendation
from pinzhi.commendations.services import commendation_record
from pinzhi.org.models import Agent

AWARDS = (
    ("integrity", "拒绝误导销售", "客户要求写明“保本保息”，如实告知产品风险并拒绝承诺收益"),
    ("integrity", "举报代签名", "发现同业代客户签名并主动报告，协助核实"),
    ("service", "客户表扬信", "协助客户完成理赔资料，客户来信致谢"),
    ("service", "回访零投诉", "连续两个季度新单回访成功率百分之百"),
    ("sales", "季度销售之星", "季度标准保费全营业部第一"),
    ("team", "优秀团队", "团队十三个月继续率全分公司第一"),
    ("other", "志愿服务", "参与社区保险知识宣传"),
)
COUNT = 12


def seed(today: dt.date) -> str:
    if Commendation.objects.exists():
        return "commendations: the database has some already: none added"
    sales = User.objects.filter(username="demo_sales").select_related("unit").first()
    agent_user = User.objects.filter(username="demo_agent").select_related("agent__team") \
        .first()
    if sales is None or sales.unit is None:
        return "commendations: no demo sales administrator: none added"
    rng = random.Random("demo-commendations-1")
    own = agent_user.agent_id if agent_user is not None else None
    pool = list(Agent.objects.restrict(sales).live().exclude(pk=own).select_related("team")
                .order_by("code")[:1000])
    if not pool:
        return "commendations: no agents on the demo branch: none added"
    agents = rng.sample(pool, min(COUNT - 1, len(pool)))
    if own is not None:
        agents.insert(0, agent_user.agent)
    for n, agent in enumerate(agents):
        kind, title, reason = AWARDS[n % len(AWARDS)]
        unit = agent.team if n % 2 else sales.unit
        commendation_record(agent=agent, awarded_on=today - dt.timedelta(days=7 + 14 * n),
                            kind=kind, title=title, reason=reason, unit=unit, by=sales)
    return f"commendations: {len(agents)} awarded on the demo branch"
