"""The demo company's rank assessment (issue 8): the demo branch's last ended half-year
(2026H1 when the demo stands in its second half) decided as recommended for one office
only, by the bulk service as the sales administrator would on the page, so that
/assessments/ shows decided and undecided agents side by side.

Only the service writes (it checks the role, the scope and that the half-year ended); a
database with rank decisions for that half-year is left as it is. Nothing is drawn at
random: the first office of the branch, by path.
"""

import datetime as dt

from pinzhi.accounts.models import User
from pinzhi.assessments.models import RankDecision
from pinzhi.assessments.reading import last_ended_half_year
from pinzhi.assessments.services import AssessmentRefused, rank_decide_as_recommended
from pinzhi.org.models import Unit


def seed(today: dt.date) -> str:
    period = last_ended_half_year(today)
    if RankDecision.objects.filter(period=period).exists():
        return f"assessments: {period} has decisions already: none added"
    sales = User.objects.filter(username="demo_sales").select_related("unit").first()
    if sales is None or sales.unit is None:
        return "assessments: no demo sales administrator: none added"
    office = (Unit.objects.restrict(sales).live().filter(level="office")
              .order_by("path").first())
    if office is None:
        return "assessments: no office in the demo branch: none added"
    try:
        done = rank_decide_as_recommended(agents=office, period=period, by=sales)
    except AssessmentRefused as refused:
        return f"assessments: none added ({refused})"
    return f"assessments: {period} of office {office.code}: {done}"
