"""Every change of a notice (rules §7.4), as a keyword-only service function.

Each checks that the change is allowed, records the fact with who, writes an event row,
re-evaluates the notice's case as of today, and runs in a transaction. A second call of
`notice_delivered` or `notice_reported` is a correction: the event keeps the old values.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from pinzhi.accounts.models import Role
from pinzhi.core.models import Event
from pinzhi.core.refusals import Refused
from pinzhi.policies.models import Policy

from .evaluation import notices_evaluate
from .models import Notice

RECORDER_ROLES = frozenset({Role.CLERK, Role.QUALITY_OFFICER, Role.HQ_QUALITY, Role.ADMIN})


class NoticeRefused(Refused):
    """A change of this area that is not allowed (pinzhi.core.refusals)."""


def may_record(user) -> bool:
    return user is not None and user.has_role(RECORDER_ROLES)


def _check_user(by, policy: Policy) -> None:
    if by is None:  # the system (an import, a script)
        return
    if not may_record(by):
        raise NoticeRefused(gettext_noop("%(user)s may not record notices"), user=by)
    if not Policy.objects.restrict(by).filter(pk=policy.pk).exists():
        raise NoticeRefused(gettext_noop("policy %(policy)s is outside %(user)s's scope"),
                            policy=policy.policy_no, user=by)


def _check_day(name: str, day: dt.date, not_before: dt.date | None, before_name: str) -> None:
    if day > timezone.localdate():
        raise NoticeRefused(gettext_noop("%(field)s %(day)s is in the future"),
                            field=name, day=day)
    if not_before is not None and day < not_before:
        raise NoticeRefused(gettext_noop("%(field)s %(day)s is before %(other)s %(before)s"),
                            field=name, day=day, other=before_name, before=not_before)


def _locked(notice: Notice) -> Notice:
    notice = Notice.objects.select_for_update().select_related("policy").get(pk=notice.pk)
    if notice.voided_at is not None:
        raise NoticeRefused(gettext_noop("notice %(no)s is voided"), no=notice.notice_no)
    return notice


def _log(action: str, notice: Notice, by, **data) -> None:
    Event.objects.create(actor=by, action=f"notice.{action}", kind="notice",
                         key=notice.notice_no, data=data)


def _day(value) -> str | None:
    return value.isoformat() if value else None


def notice_issue(*, notice_no: str, policy: Policy, agent, kind: str, issued_on: dt.date,
                 due_on: dt.date, by) -> Notice:
    notice_no = (notice_no or "").strip()
    if not notice_no:
        raise NoticeRefused(gettext_noop("a notice number is required"))
    _check_user(by, policy)
    _check_day("issued_on", issued_on, None, "")
    if due_on < issued_on:
        raise NoticeRefused(gettext_noop("due_on %(due)s is before issued_on %(issued)s"),
                            due=due_on, issued=issued_on)
    with transaction.atomic():
        if Notice.objects.filter(notice_no=notice_no).exists():
            raise NoticeRefused(gettext_noop("notice %(no)s exists already"), no=notice_no)
        notice = Notice.objects.create(notice_no=notice_no, policy=policy, agent=agent,
                                       kind=kind or "notice", issued_on=issued_on,
                                       due_on=due_on, recorded_by=by)
        _log("issued", notice, by, policy=policy.policy_no, agent=agent.code, kind=notice.kind,
             issued_on=_day(issued_on), due_on=_day(due_on))
        notices_evaluate(notice_nos=[notice_no])
    return notice


def notice_delivered(*, notice: Notice, delivered_on: dt.date, by) -> Notice:
    with transaction.atomic():
        notice = _locked(notice)
        _check_user(by, notice.policy)
        _check_day("delivered_on", delivered_on, notice.issued_on, "issued_on")
        if notice.reported_on is not None and notice.reported_on < delivered_on:
            raise NoticeRefused(gettext_noop("delivered_on %(day)s is after the report of "
                                             "%(reported)s"),
                                day=delivered_on, reported=notice.reported_on)
        old = notice.delivered_on
        notice.delivered_on, notice.recorded_by = delivered_on, by or notice.recorded_by
        notice.updated_at = timezone.now()
        notice.save(update_fields=["delivered_on", "recorded_by", "updated_at"])
        _log("delivered", notice, by, delivered_on=_day(delivered_on), was=_day(old))
        notices_evaluate(notice_nos=[notice.notice_no])
    return notice


def notice_reported(*, notice: Notice, reported_on: dt.date, by, false: bool = False,
                    harm: bool = False) -> Notice:
    """The agent reported back (`false`: untruthfully, found later); `harm`: the notice
    caused a complaint or a loss. Called again, it corrects the report (harm found later)."""
    with transaction.atomic():
        notice = _locked(notice)
        _check_user(by, notice.policy)
        if notice.delivered_on is None:
            raise NoticeRefused(gettext_noop("notice %(no)s has not been delivered"),
                                no=notice.notice_no)
        _check_day("reported_on", reported_on, notice.delivered_on, "delivered_on")
        was = {"reported_on": _day(notice.reported_on), "report_false": notice.report_false,
               "harm": notice.harm}
        notice.reported_on, notice.report_false, notice.harm = reported_on, false, harm
        notice.recorded_by, notice.updated_at = by or notice.recorded_by, timezone.now()
        notice.save(update_fields=["reported_on", "report_false", "harm", "recorded_by",
                                   "updated_at"])
        _log("reported", notice, by, reported_on=_day(reported_on), report_false=false,
             harm=harm, was=was)
        notices_evaluate(notice_nos=[notice.notice_no])
    return notice
