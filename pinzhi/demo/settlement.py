"""The demo company's recent settlements (rules §6), so that the settlement pages, the
ledger and the agents' statements have months to show.

As of the demo's moment, the three months before the current one are computed by the
first demo sales administrator and closed by the second (four eyes, months in order); the
current month, once its cutoff has passed, is left a draft for someone to close in the
demo (before its cutoff the agents see their forecast). Only the service functions write,
so the demo's months are checked like anyone's. A month already settled is left as it is:
running the step again changes nothing.

The scope is the sales administrators' branch, not the whole company: a sales
administrator's scope is his branch's subtree, so he may neither compute nor see a
company-wide settlement. The small demo has one branch, which is the whole company.
"""

import datetime as dt
from collections.abc import Iterator

from pinzhi.accounts.models import Role, User
from pinzhi.receipts.rules import add_months
from pinzhi.settlement import rules
from pinzhi.settlement.models import Settlement
from pinzhi.settlement.services import settlement_close, settlement_compute

from .users import DEMO_USERS

CLOSED_MONTHS = 3


def months(moment: dt.datetime) -> tuple[list[dt.date], dt.date | None]:
    """(the months to close, oldest first; the month to leave a draft, or None)."""
    current = moment.astimezone(rules.SHANGHAI).date().replace(day=1)
    closed = [add_months(current, -n) for n in range(CLOSED_MONTHS, 0, -1)]
    return closed, current if rules.cutoff_at(current) <= moment else None


def sales_admins() -> tuple[User, User]:
    """The demo's two sales administrators, in DEMO_USERS order: who computes, who closes."""
    names = [s.username for s in DEMO_USERS if s.role == Role.SALES_ADMIN]
    by_name = User.objects.select_related("unit").in_bulk(names, field_name="username")
    first, second = (by_name[n] for n in names[:2])
    return first, second


def settle(moment: dt.datetime) -> Iterator[Settlement]:
    """Settle the demo's recent months as of `moment`, yielding each settlement as it is
    done; SettlementRefused stops it (e.g. a later month was closed by hand)."""
    first, second = sales_admins()
    to_close, draft = months(moment)
    for month in [*to_close, *([draft] if draft else [])]:
        settlement = Settlement.objects.filter(month=month, scope_path=first.unit.path).first()
        if settlement is None:
            # The demo was just evaluated as of its moment, after every cutoff: moving the
            # rules back to a cutoff would find nothing to do, and the settlement derives
            # each state as of its cutoff from the facts anyway.
            settlement = settlement_compute(month=month, unit=first.unit, by=first,
                                            evaluate=False).settlement
        if month != draft and not settlement.is_closed:
            # A draft someone else computed is closed by whichever of the two did not.
            closer = second if settlement.computed_by_id != second.pk else first
            settlement = settlement_close(settlement=settlement, by=closer)
        yield settlement


def summary(settlement: Settlement) -> str:
    s = settlement
    if s.is_closed:
        state, who = "closed", f"computed by {_who(s.computed_by)}, closed by {_who(s.closed_by)}"
    else:
        state, who = "draft", f"computed by {_who(s.computed_by)}; another person closes it"
    return (f"settlement {s.label} of {s.scope_name}: {state}, {s.lines:,} lines, "
            f"net ¥{s.total('net'):,} ({who})")


def existing() -> list[str]:
    """The summary of every settlement in the database, oldest month first."""
    rows = Settlement.objects.select_related("unit", "computed_by", "closed_by")
    return [summary(s) for s in rows.order_by("month", "scope_path")]


def _who(user) -> str:
    return user.get_username() if user is not None else "system"
