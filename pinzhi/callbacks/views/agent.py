"""The agent's own callbacks (rules §4.1.2, §4.6, §8.2): his customers whose callback
needs him, and a form on each to confirm or update the applicant's phone.

Rows come from the stored states (CallbackStatus, as of the last evaluation) of his own
policies only: a manager who is an agent too sees his own customers here, not his team's.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from pinzhi.core.masking import mask_phone
from pinzhi.policies.models import Policy

from .. import rules
from ..forms_agent import CONFIRM, ContactForm
from ..models import CallbackAttempt, CallbackStatus, Outcome
from ..params import CallbackParams
from ..services import CallbackRefused, contact_update_record

# How long a failure he can no longer act on stays listed, so he sees how it ended.
RECENT_DAYS = 30
OUTCOMES = dict(Outcome.choices)
STATES = {  # status -> (label, badge colour)
    rules.AGENT_WINDOW: (gettext_lazy("waiting for you"), "warning"),
    rules.ROUND_2: (gettext_lazy("round 2 under way"), "info"),
    rules.MANUAL: (gettext_lazy("manual callback, commission withheld"), "danger"),
    rules.MANUAL_FAILED: (gettext_lazy("manual callback failed"), "danger"),
}
FAILED_ROUND = {rules.AGENT_WINDOW: "1", rules.ROUND_2: "1", rules.MANUAL: "2",
                rules.MANUAL_FAILED: "manual"}


@dataclass
class Row:
    status: CallbackStatus
    outcome: str  # the label of the outcome that failed the last round, or ""
    opens_at: dt.datetime | None = None  # round 2, while he has his days
    days_left: int | None = None
    due: bool = False
    error: str = ""
    done: str = ""
    form: ContactForm | None = None

    @property
    def policy(self) -> Policy:
        return self.status.policy

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone)

    @property
    def phone(self) -> str:
        return self.status.phone or self.policy.applicant_phone

    @property
    def state(self) -> tuple:
        if self.status.phone_false and self.status.status not in STATES:
            return gettext_lazy("wrong phone on file"), "warning"
        return STATES.get(self.status.status, (self.status.status, "secondary"))

    @property
    def needs_him(self) -> bool:
        return self.status.status == rules.AGENT_WINDOW or self.status.phone_false

    @property
    def may_update(self) -> bool:
        return self.status.status not in rules.ENDED


def _own_policies(user):
    if not user.agent_id:
        raise Http404
    return Policy.objects.restrict(user).live().filter(agent_id=user.agent_id)


def _statuses(user, now: dt.datetime):
    recent = now - dt.timedelta(days=RECENT_DAYS)
    wanted = (Q(status__in=[rules.AGENT_WINDOW, rules.MANUAL]) | Q(phone_false=True)
              | Q(status=rules.ROUND_2, round_1_failed_at__gte=recent)
              | Q(status=rules.MANUAL_FAILED, ended_at__gte=recent))
    return (CallbackStatus.objects.restrict(user).filter(wanted)
            .filter(policy__in=_own_policies(user))
            .select_related("policy__agent__team"))


def _last_outcomes(statuses) -> dict:
    """(policy id, round) -> the outcome of its latest counted attempt of that round."""
    ids = [s.policy_id for s in statuses]
    attempts = (CallbackAttempt.objects.live().filter(policy_id__in=ids, flag="")
                .order_by("attempted_at").values_list("policy_id", "round", "outcome"))
    return {(pid, rnd): outcome for pid, rnd, outcome in attempts}


def _row(status: CallbackStatus, outcomes: dict, params: CallbackParams,
         now: dt.datetime) -> Row:
    code = outcomes.get((status.policy_id, FAILED_ROUND.get(status.status)))
    row = Row(status, OUTCOMES.get(code, ""))
    if status.status == rules.AGENT_WINDOW and status.round_1_failed_at:
        policy = status.policy
        p = params.for_policy(policy.printed_on, policy.agent.team.path)
        row.opens_at = rules.round_2_opens_at(status.round_1_failed_at, [], p)
        row.days_left = max(0, (timezone.localdate(row.opens_at) - timezone.localdate(now)).days)
        row.due = row.opens_at <= now  # the next evaluation opens it
    return row


def _urgency(row: Row):
    return (not row.needs_him, row.opens_at or timezone.now(), row.policy.policy_no)


def rows_for(user, now: dt.datetime | None = None) -> list[Row]:
    """His rows, those waiting for him first, the soonest round 2 first."""
    now = now or timezone.now()
    statuses = list(_statuses(user, now))
    outcomes, params = _last_outcomes(statuses), CallbackParams()
    return sorted((_row(s, outcomes, params, now) for s in statuses), key=_urgency)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


@login_required
def mine(request):
    return _page(request)


def _page(request, failed: Row | None = None):
    rows = rows_for(request.user)
    if failed is not None:  # on top, with its message and what he typed
        rows = [failed] + [r for r in rows if r.policy.pk != failed.policy.pk]
    return render(request, "callbacks/mine.html", {"rows": rows})


@login_required
def summary(request):
    """The count on the agent's home page (loaded there by htmx)."""
    waiting = sum(1 for row in rows_for(request.user) if row.needs_him)
    return render(request, "callbacks/_mine_summary.html", {"waiting": waiting})


@login_required
@require_POST
def contact(request, policy_no):
    """Confirm or update the applicant's phone of one of his policies (rules §4.1.2)."""
    policy = get_object_or_404(_own_policies(request.user), policy_no=policy_no)
    # No stored state yet (never evaluated): it is on no page, so there is no form to post.
    status = get_object_or_404(CallbackStatus.objects.select_related("policy__agent__team"),
                               policy=policy)
    row = _row(status, _last_outcomes([status]), CallbackParams(), timezone.now())
    form = ContactForm(request.POST)
    if not form.is_valid():
        row.error, row.form = form.first_error(), form
        return _answer(request, row)
    try:
        contact_update_record(policy=policy, phone=form.phone_to_record(row.phone),
                              by=request.user)
    except CallbackRefused as exc:
        row.error, row.form = exc.localized(), form
        return _answer(request, row)
    return _done(request, policy, status.status, form.cleaned_data["action"])


def _done(request, policy: Policy, before: str, action: str):
    status = CallbackStatus.objects.select_related("policy__agent__team").get(policy=policy)
    text = (_("You confirmed the applicant's phone of policy %(policy)s.") if action == CONFIRM
            else _("The applicant's new phone of policy %(policy)s is recorded."))
    text %= {"policy": policy.policy_no}
    if before == rules.AGENT_WINDOW and status.status == rules.ROUND_2:
        text += " " + _("Round 2 of its callback opens now.")
    if not _is_htmx(request):
        messages.success(request, text)
        return redirect(reverse("callbacks-mine") + f"#{policy.policy_no}")
    row = _row(status, _last_outcomes([status]), CallbackParams(), timezone.now())
    row.done = text
    return render(request, "callbacks/_mine_row.html", {"row": row})


def _answer(request, row: Row):
    """A refusal or a bad input: next to the form, nothing recorded."""
    if _is_htmx(request):
        return render(request, "callbacks/_mine_row.html", {"row": row})
    return _page(request, failed=row)


urlpatterns = [
    path("mine/", mine, name="callbacks-mine"),
    path("mine/summary/", summary, name="callbacks-mine-summary"),
    path("mine/<str:policy_no>/contact/", contact, name="callbacks-mine-contact"),
]
