"""What is owed (issue 5): receipts to collect, valuable documents out, notices to deliver,
in one list ordered by urgency (rules §5, §7.3, §7.4, §8.2).

An agent sees his own, a team manager his team's, branch staff their branch's (through
`restrict(user)`), with the overdue counts. Each list is read nearest deadline first and
cut at `LIMIT`: the page is for acting on, the area pages hold the rest.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from pinzhi.documents.models import ValuableDocument
from pinzhi.notices.models import Notice
from pinzhi.policies.models import Policy, PolicyStatus
from pinzhi.receipts import rules as receipt_rules

LIMIT = 300
KINDS = {"receipt": _("receipt"), "document": _("valuable document"), "notice": _("notice")}


@dataclass
class Owed:
    kind: str
    key: str
    what: str
    agent: object
    due_on: dt.date
    url: str
    days_left: int = 0

    @property
    def kind_label(self):
        return KINDS[self.kind]

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left


def _receipts(user):
    """Long-term policies whose receipt is not collected (a voided one does not count)."""
    return (Policy.objects.restrict(user).live().filter(product__long_term=True)
            .exclude(status=PolicyStatus.COOLING_OFF_CANCELLED)
            .filter(Q(receipt__isnull=True) | Q(receipt__voided_at__isnull=False)))


def _documents(user):
    return ValuableDocument.objects.restrict(user).live().filter(returned_on__isnull=True)


def _notices(user):
    return Notice.objects.restrict(user).live().filter(
        Q(delivered_on__isnull=True) | Q(reported_on__isnull=True))


def owed_items(user, today: dt.date) -> list[Owed]:
    items = []
    for p in _receipts(user).select_related("agent").order_by("effective_on")[:LIMIT]:
        items.append(Owed("receipt", p.policy_no, p.applicant_name, p.agent,
                          receipt_rules.deadline(p.effective_on), p.get_absolute_url()))
    for d in _documents(user).select_related("agent").order_by("due_on")[:LIMIT]:
        items.append(Owed("document", d.doc_no, d.doc_type, d.agent, d.due_on,
                          reverse("documents-list") + f"?q={d.doc_no}"))
    for n in _notices(user).select_related("agent", "policy").order_by("due_on")[:LIMIT]:
        items.append(Owed("notice", n.notice_no, n.kind, n.agent, n.due_on,
                          n.get_absolute_url()))
    for item in items:
        item.days_left = (item.due_on - today).days
    return sorted(items, key=lambda i: (i.due_on, i.kind, i.key))


def overdue_counts(user, today: dt.date) -> dict[str, int]:
    """Set-based: one count per kind (a receipt's deadline passed ⇔ its effective date is
    before the bound, receipts.rules.effective_bound)."""
    return {
        "receipt": _receipts(user).filter(
            effective_on__lt=receipt_rules.effective_bound(today)).count(),
        "document": _documents(user).filter(due_on__lt=today).count(),
        "notice": _notices(user).filter(due_on__lt=today).count(),
    }


@login_required
def owed(request):
    today = timezone.localdate()
    items = owed_items(request.user, today)
    context = {"items": items, "counts": overdue_counts(request.user, today), "today": today,
               "limit": LIMIT}
    return render(request, "web/owed.html", context)
