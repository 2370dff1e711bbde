"""Demo grievances (issue 8) on the demo branch: the demo agent raises one from his phone
today; others recorded from paper by the branch's quality officer, open, overdue (one
about his team manager), replied in time and late. Written through the services only;
deterministic; idempotent."""

import datetime as dt
import random

from pinzhi.accounts.models import User
from pinzhi.grievances import services
from pinzhi.grievances.models import Grievance
from pinzhi.org.models import Agent

SAYS = {
    "company": "公司调整展业区域未提前通知，已约客户无法跟进",
    "manager": "主管要求团队成员代为垫付客户首期保费，不同意就不分配客户名单",
    "commission": "三月续期佣金少发，已提交保单清单但无人答复",
    "colleague": "同组业务员私下联系我的客户，并称我即将离职",
    "other": "培训考试系统多次无法登录，影响上岗资格",
}
REPLIES = ("经核查，已补发差额佣金并向您说明计算口径。", "已约谈相关人员并重新划分客户名单。")


def _days(today: dt.date, n: int) -> dt.date:
    return today - dt.timedelta(days=n)


def seed(today: dt.date) -> str:
    if Grievance.objects.exists():
        return "grievances: the database has some already: none added"
    users = User.objects.select_related("agent__team", "unit").in_bulk(
        ["demo_agent", "demo_manager", "demo_officer", "demo_sales"], field_name="username")
    agent, manager = users.get("demo_agent"), users.get("demo_manager")
    officer, sales = users.get("demo_officer"), users.get("demo_sales")
    if None in (agent, manager, officer, sales) or not agent.agent_id or not manager.agent_id:
        return "grievances: no demo users: none added"
    rng = random.Random("demo-grievances-1")
    pool = list(Agent.objects.restrict(officer).live().exclude(
        pk__in=[agent.agent_id, manager.agent_id]).order_by("code")[:500])
    team = [a for a in pool if a.team_id == manager.agent.team_id] or pool
    others = rng.sample(pool, min(4, len(pool)))
    if not team or len(others) < 4:
        return "grievances: too few agents on the demo branch: none added"
    mine = services.grievance_raise(agent=agent.agent, about="commission",
                                    summary=SAYS["commission"], by=agent)

    def paper(who, about, days, against=None):
        return services.grievance_raise(agent=who, about=about, summary=SAYS[about],
                                        against_agent=against, channel="letter",
                                        received_on=_days(today, days), by=officer)

    about_manager = paper(rng.choice(team), "manager", 25, against=manager.agent)
    services.grievance_assign(grievance=about_manager, handler=sales, by=officer)  # overdue
    paper(others[0], "company", 3)  # open
    colleague = paper(others[1], "colleague", 8, against=others[2])
    services.grievance_assign(grievance=colleague, handler=officer, by=officer)
    in_time = paper(others[2], "commission", 20)
    services.grievance_reply(grievance=in_time, reply=REPLIES[0], outcome="partly",
                             replied_on=_days(today, 10), by=officer)
    late = paper(others[3], "other", 40)
    services.grievance_reply(grievance=late, reply=REPLIES[1], outcome="upheld",
                             replied_on=_days(today, 20), by=sales)
    return (f"grievances: 6 (the demo agent's own {mine.grievance_no}; open, overdue about "
            f"a manager, replied in time and late)")
