"""Every change of a customer complaint (issue 8), as a keyword-only service function:
each checks who and when, records the fact, writes an event row, in a transaction.

- Whoever handles a complaint has no stake in it: not the agent, nobody of his team
  (`has_stake`), and the complaint is in the handler's scope.
- The clocks are the pure `rules`; their numbers are parameters (`complaints.*`) in
  force on the day the complaint was received, for the agent's unit.
- A decision that finds a violation drafts a quality case (source: complaint) for the
  quality officer; the case's own workflow decides it.
"""

import datetime as dt
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from pinzhi.accounts.models import Role
from pinzhi.core.models import Event
from pinzhi.core.refusals import Refused
from pinzhi.quality.services import case_draft

from . import rules
from .clock import params_for
from .models import Complaint, Extension


class ComplaintRefused(Refused):
    """A change of a complaint that is not allowed (pinzhi.core.refusals)."""


def has_stake(user, agent) -> bool:
    """The agent himself, an agent of his team, or a user whose scope is his team."""
    own = getattr(user, "agent", None)
    return (own is not None and (own.pk == agent.pk or own.team_id == agent.team_id)) \
        or (user.unit_id is not None and user.unit_id == agent.team_id)


def _in_scope(user, complaint: Complaint) -> bool:
    return Complaint.objects.restrict(user).filter(pk=complaint.pk).exists()


def _check_handler(user, complaint: Complaint, refusal: str) -> None:
    """`refusal`: the whole message (one per action, so that it translates whole)."""
    if user is None or not user.has_role(Role.COMPLAINTS_HANDLE):
        raise ComplaintRefused(refusal, user=user)
    if not _in_scope(user, complaint):
        raise ComplaintRefused(gettext_noop("complaint %(no)s is outside %(user)s's scope"),
                               no=complaint.complaint_no, user=user)
    if has_stake(user, complaint.agent):
        raise ComplaintRefused(gettext_noop("%(user)s has a stake in complaint %(no)s: the "
                                            "agent or his team"),
                               user=user, no=complaint.complaint_no)


def _check_day(name: str, day: dt.date, not_before: dt.date) -> None:
    if day > timezone.localdate():
        raise ComplaintRefused(gettext_noop("%(field)s %(day)s is in the future"),
                               field=name, day=day)
    if day < not_before:
        raise ComplaintRefused(gettext_noop("%(field)s %(day)s is before %(before)s"),
                               field=name, day=day, before=not_before)


def _locked(complaint: Complaint) -> Complaint:
    locked = (Complaint.objects.select_for_update().select_related("agent__team")
              .get(pk=complaint.pk))
    if locked.voided_at is not None:
        raise ComplaintRefused(gettext_noop("complaint %(no)s is voided"),
                               no=locked.complaint_no)
    return locked


def _save(complaint: Complaint, *fields: str) -> None:
    complaint.updated_at = timezone.now()
    complaint.save(update_fields=[*fields, "updated_at"])


def _log(action: str, complaint: Complaint, by, **data) -> None:
    Event.objects.create(actor=by, action=f"complaint.{action}", kind="complaint",
                         key=complaint.complaint_no,
                         data={k: v.isoformat() if isinstance(v, dt.date) else v
                               for k, v in data.items()})


def complaint_receive(*, received_on: dt.date, agent, complainant: str, summary: str, by,
                      policy=None, channel: str = "phone", complaint_no: str = "") -> Complaint:
    """A complaint received; numbered C + month + id when no number is given."""
    if by is not None and not by.has_role(Role.COMPLAINTS_RECEIVE):
        raise ComplaintRefused(gettext_noop("%(user)s may not record complaints"), user=by)
    if policy is not None and policy.agent_id != agent.pk:
        raise ComplaintRefused(gettext_noop("policy %(policy)s is not agent %(agent)s's"),
                               policy=policy.policy_no, agent=agent.code)
    if received_on > timezone.localdate():
        raise ComplaintRefused(gettext_noop("received_on %(day)s is in the future"),
                               day=received_on)
    with transaction.atomic():
        if complaint_no.strip() and Complaint.objects.filter(
                complaint_no=complaint_no.strip()).exists():
            raise ComplaintRefused(gettext_noop("complaint %(no)s exists already"),
                                   no=complaint_no.strip())
        complaint = Complaint.objects.create(
            complaint_no=complaint_no.strip() or f"TMP-{uuid.uuid4().hex}",
            received_on=received_on, channel=channel, policy=policy, agent=agent,
            complainant=complainant, summary=summary, recorded_by=by)
        if by is not None and not _in_scope(by, complaint):
            raise ComplaintRefused(gettext_noop("agent %(agent)s is outside %(user)s's scope"),
                                   agent=agent.code, user=by)
        if not complaint_no.strip():
            complaint.complaint_no = f"C{received_on:%Y%m}{complaint.pk:06d}"
            complaint.save(update_fields=["complaint_no"])
        _log("received", complaint, by, received_on=received_on, channel=channel)
    return complaint


def complaint_assign(*, complaint: Complaint, handler, by) -> Complaint:
    """Who handles it: a handler with no stake in it, chosen by one who may handle it."""
    _check_handler(by, complaint,
                   gettext_noop("%(user)s may not assign complaints"))
    _check_handler(handler, complaint,
                   gettext_noop("%(user)s may not handle complaints"))
    with transaction.atomic():
        complaint = _locked(complaint)
        complaint.handler = handler
        _save(complaint, "handler")
        _log("assigned", complaint, by, handler=handler.username)
    return complaint


def complaint_extend(*, complaint: Complaint, on: dt.date, reason: str,
                     customer_told_on: dt.date, by, approved_by=None) -> Extension:
    """The decision's deadline extended (to 30 days; a second time, with a senior's
    approval, 30 more); the customer is told of it."""
    _check_handler(by, complaint,
                   gettext_noop("%(user)s may not extend complaints"))
    if not reason.strip():
        raise ComplaintRefused(gettext_noop("an extension needs a reason"))
    _check_day("on", on, complaint.received_on)
    _check_day("customer_told_on", customer_told_on, on)
    if approved_by is not None:
        if not approved_by.has_role(Role.COMPLAINTS_SENIOR) or approved_by.pk == by.pk:
            raise ComplaintRefused(gettext_noop("%(user)s may not approve an extension"),
                                   user=approved_by)
    with transaction.atomic():
        complaint = _locked(complaint)
        refusal = rules.extension_refusal(complaint.facts(), on,
                                          approved=approved_by is not None,
                                          p=params_for(complaint))
        if refusal:
            raise ComplaintRefused(gettext_noop("complaint %(no)s: %(why)s"),
                                   no=complaint.complaint_no, why=refusal)
        extension = Extension.objects.create(
            complaint=complaint, extended_on=on, reason=reason,
            customer_told_on=customer_told_on, approved_by=approved_by, by=by)
        _save(complaint)
        _log("extended", complaint, by, on=on, customer_told_on=customer_told_on,
             approved_by=approved_by.username if approved_by else None, reason=reason)
    return extension


def complaint_decide(*, complaint: Complaint, on: dt.date, decision: str, upheld: bool, by,
                     violation_code: str = "") -> Complaint:
    """The decision; one that finds a violation drafts a case on the agent."""
    _check_handler(by, complaint,
                   gettext_noop("%(user)s may not decide complaints"))
    if not decision.strip():
        raise ComplaintRefused(gettext_noop("a decision needs its text"))
    _check_day("on", on, complaint.received_on)
    with transaction.atomic():
        complaint = _locked(complaint)
        if complaint.decided_on is not None:
            raise ComplaintRefused(gettext_noop("complaint %(no)s is decided already"),
                                   no=complaint.complaint_no)
        if violation_code:
            complaint.case = case_draft(
                agent=complaint.agent, violation_code=violation_code,
                occurred_on=complaint.received_on, source="complaint", by=by,
                policy=complaint.policy, found_on=on,
                evidence=f"投诉 {complaint.complaint_no}：{complaint.summary}\n处理：{decision}")
        complaint.decided_on, complaint.decision, complaint.upheld = on, decision, upheld
        complaint.handler = complaint.handler or by
        _save(complaint, "decided_on", "decision", "upheld", "case", "handler")
        _log("decided", complaint, by, on=on, upheld=upheld,
             case=complaint.case.case_no if complaint.case else None)
    return complaint


def complaint_review_request(*, complaint: Complaint, on: dt.date, by) -> Complaint:
    """The customer asks for a review of the decision (within 30 days of it)."""
    if by is not None and not by.has_role(Role.COMPLAINTS_RECEIVE):
        raise ComplaintRefused(gettext_noop("%(user)s may not record complaints"), user=by)
    _check_day("on", on, complaint.received_on)
    with transaction.atomic():
        complaint = _locked(complaint)
        refusal = rules.review_refusal(complaint.facts(), on, params_for(complaint))
        if refusal:
            raise ComplaintRefused(gettext_noop("complaint %(no)s: %(why)s"),
                                   no=complaint.complaint_no, why=refusal)
        complaint.review_requested_on = on
        _save(complaint, "review_requested_on")
        _log("review_requested", complaint, by, on=on)
    return complaint


def complaint_review_decide(*, complaint: Complaint, on: dt.date, outcome: str, by
                            ) -> Complaint:
    """The review, by a senior with no stake in it who did not decide it first."""
    if by is None or not by.has_role(Role.COMPLAINTS_SENIOR):
        raise ComplaintRefused(gettext_noop("%(user)s may not decide reviews"), user=by)
    _check_handler(by, complaint,
                   gettext_noop("%(user)s may not review complaints"))
    if not outcome.strip():
        raise ComplaintRefused(gettext_noop("a review needs its outcome"))
    with transaction.atomic():
        complaint = _locked(complaint)
        if complaint.review_requested_on is None or complaint.review_decided_on is not None:
            raise ComplaintRefused(gettext_noop("complaint %(no)s has no review to decide"),
                                   no=complaint.complaint_no)
        if complaint.handler_id == by.pk:
            raise ComplaintRefused(gettext_noop("%(user)s decided complaint %(no)s: another "
                                                "reviews it"),
                                   user=by, no=complaint.complaint_no)
        _check_day("on", on, complaint.review_requested_on)
        complaint.review_decided_on, complaint.review_outcome = on, outcome
        complaint.reviewer = by
        _save(complaint, "review_decided_on", "review_outcome", "reviewer")
        _log("reviewed", complaint, by, on=on)
    return complaint
