"""Every change of a callback, as a keyword-only service function (rules §4).

Each checks that the change is allowed, records the fact with who and when, writes an
event row, re-evaluates the policy's callback as of now, and runs in a transaction.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from pinzhi.accounts.models import Role
from pinzhi.core.importing.parsers import phone as parse_phone
from pinzhi.core.models import Event
from pinzhi.core.refusals import Refused
from pinzhi.policies.models import Policy

from . import rules, scripts
from .evaluation import Evaluated, evaluate, states
from .models import (
    FINDING_CASE_TYPES,
    CallbackAttempt,
    CallbackRequest,
    CallbackStatus,
    CallLock,
    ContactUpdate,
    ManualCallback,
    ManualDocument,
    Method,
    Outcome,
    RequestKind,
    Round,
    ScriptVersion,
)
from .params import CallbackParams
from .phones import load_phone_book

CALLER_ROLES = frozenset({Role.OPERATOR, Role.QUALITY_OFFICER, Role.HQ_QUALITY, Role.ADMIN})
COORDINATOR_ROLES = frozenset({Role.QUALITY_OFFICER, Role.HQ_QUALITY, Role.ADMIN})
OPEN_ROUND = {rules.ROUND_1: Round.ONE, rules.ROUND_2: Round.TWO, rules.MANUAL: Round.MANUAL}


class CallbackRefused(Refused):
    """A change of this area that is not allowed (pinzhi.core.refusals)."""


def _has_role(user, roles) -> bool:
    return user is not None and user.has_role(roles)


def _check_scope(policy: Policy, by) -> None:
    if by is not None and not Policy.objects.restrict(by).filter(pk=policy.pk).exists():
        raise CallbackRefused(gettext_noop("policy %(policy)s is outside %(user)s's scope"),
                              policy=policy.policy_no, user=by)


def _log(action: str, kind: str, key: str, by, logged_at: dt.datetime, **data) -> None:
    Event.objects.create(at=logged_at, actor=by, action=action, kind=kind, key=key, data=data)


def _just_after(moment: dt.datetime) -> dt.datetime:
    """Facts count strictly before `as_of`: evaluate just after the latest one."""
    return max(timezone.now(), moment + dt.timedelta(microseconds=1))


def current_state(policy: Policy, *, as_of: dt.datetime | None = None,
                  known_at: dt.datetime | None = None) -> Evaluated:
    """The policy's callback at `as_of` (now), derived from its facts, nothing written."""
    return next(states(as_of=as_of or timezone.now(), known_at=known_at,
                       policy_ids=[policy.pk]))


# -- attempts -------------------------------------------------------------------------


def attempt_record(*, policy: Policy, by, outcome: str, at: dt.datetime | None = None,
                   round: str | None = None, answers: dict | None = None,
                   satisfaction: int | None = None, inbound: bool = False,
                   appointment_at: dt.datetime | None = None, note: str = "",
                   method: str = "", phone_changed: bool = False,
                   findings: list[str] | None = None) -> CallbackAttempt:
    """One attempt as the caller made it: the round open now (unless given), the
    findings its "no" answers reveal (each drafting a case, rules §4.4–4.5)."""
    now = timezone.now()
    at = at or now
    _check_attempt(policy, by, outcome, at, satisfaction, appointment_at, method, phone_changed)
    with transaction.atomic():
        locked = Policy.objects.select_for_update().get(pk=policy.pk)
        round = round or _open_round(locked, at)
        if round == Round.MANUAL and not _has_role(by, COORDINATOR_ROLES):
            raise CallbackRefused(gettext_noop("only a quality officer records the manual "
                                               "callback's verdict"))
        script_questions, script = _script(locked, at), None
        if answers:
            findings = list(findings or []) + scripts.findings_from(script_questions, answers)
            script = _script_version(locked, at)
        findings = list(dict.fromkeys(findings or []))
        try:
            with transaction.atomic():
                attempt = CallbackAttempt.objects.create(
                    policy=locked, round=round, attempted_at=at, outcome=outcome,
                    findings=";".join(findings), phone_changed=phone_changed,
                    satisfaction=satisfaction, method=method,
                    operator=by.username if by else "", recorded_by=by, inbound=inbound,
                    appointment_at=appointment_at, answers=answers or {}, script=script,
                    note=note, created_at=now, updated_at=now)
        except IntegrityError:
            raise CallbackRefused(gettext_noop("an attempt of round %(round)s at %(at)s is "
                                               "recorded already"),
                                  round=round, at=timezone.localtime(at)) from None
        _log("callback_attempt.recorded", "policy", locked.policy_no, by, now,
             round=round, outcome=outcome, at=at.isoformat(), findings=findings)
        if outcome == Outcome.SUCCESS:
            draft_finding_cases(attempt=attempt, by=by)
        if round == Round.MANUAL:
            ManualCallback.objects.filter(policy=locked, closed_at__isnull=True).update(
                method=method)
        CallLock.objects.filter(policy=locked).delete()
        evaluate(as_of=_just_after(at), policy_ids=[locked.pk], scope=locked.policy_no)
    return attempt


def _check_attempt(policy, by, outcome, at, satisfaction, appointment_at, method,
                   phone_changed) -> None:
    if not _has_role(by, CALLER_ROLES):
        raise CallbackRefused(gettext_noop("%(user)s may not record callbacks"), user=by)
    _check_scope(policy, by)
    if outcome not in Outcome.values:
        raise CallbackRefused(gettext_noop("unknown outcome %(outcome)s"), outcome=outcome)
    if at > timezone.now():
        raise CallbackRefused(gettext_noop("the attempt's time is in the future"))
    if satisfaction is not None and not 1 <= satisfaction <= 5:
        raise CallbackRefused(gettext_noop("satisfaction is 1 to 5"))
    if appointment_at is not None and appointment_at <= at:
        raise CallbackRefused(gettext_noop("the appointment must be after the call"))
    if method and method not in Method.values:
        raise CallbackRefused(gettext_noop("unknown method %(method)s"), method=method)


def _open_round(policy: Policy, at: dt.datetime) -> str:
    state = current_state(policy, as_of=at + dt.timedelta(microseconds=1)).state
    if state.status not in OPEN_ROUND:
        raise CallbackRefused(gettext_noop("no callback round of policy %(policy)s is open "
                                           "(%(status)s)"),
                              policy=policy.policy_no, status=state.status)
    return OPEN_ROUND[state.status]


def _script_versions():
    return [(v.product_kind, v.valid_from, v.questions) for v in ScriptVersion.objects.all()]


def _script(policy: Policy, at: dt.datetime) -> list[scripts.Question]:
    return scripts.questions_for(
        product_kind=policy.product.kind, payment_mode=policy.payment_mode,
        applicant_id_number=policy.applicant_id_number, signed_on=policy.signed_on,
        on=timezone.localtime(at).date(), versions=_script_versions())


def script_for(policy: Policy, at: dt.datetime | None = None) -> list[scripts.Question]:
    """The questions the call screen asks for this policy now."""
    return _script(policy, at or timezone.now())


def _script_version(policy: Policy, at: dt.datetime):
    on = timezone.localtime(at).date()
    for kind in (policy.product.kind, ""):
        version = (ScriptVersion.objects.filter(product_kind=kind, valid_from__lte=on)
                   .order_by("-valid_from").first())
        if version is not None:
            return version
    return None


def draft_finding_cases(*, attempt: CallbackAttempt, by=None) -> list:
    """A draft case for each finding of a successful callback (rules §4.4), keyed by the
    attempt: recording the same attempt twice drafts nothing new."""
    from pinzhi.quality.models import Case, CaseSource
    from pinzhi.quality.services import case_draft

    drafted = []
    policy = attempt.policy
    for finding in attempt.finding_list:
        key = f"callbacks.finding:{attempt.pk}:{finding}"
        if Case.objects.filter(rule_key=key).exists():
            continue
        drafted.append(case_draft(
            agent=policy.agent, violation_code=FINDING_CASE_TYPES[finding],
            occurred_on=policy.signed_on, source=CaseSource.CALLBACK, by=by, policy=policy,
            found_on=timezone.localtime(attempt.attempted_at).date(), rule_key=key,
            evidence=f"callback {attempt.get_round_display()} "
                     f"{timezone.localtime(attempt.attempted_at):%Y-%m-%d %H:%M}: {finding}"))
    return drafted


# -- contact details ------------------------------------------------------------------


def contact_update_record(*, policy: Policy, phone: str, by, at: dt.datetime | None = None,
                          agent=None) -> ContactUpdate:
    """The agent confirms or updates the applicant's phone (rules §4.1.2). The number is
    checked at once (§4.6): an agent's or a branch's number is refused."""
    now = timezone.now()
    at = at or now
    try:
        phone = parse_phone(phone)
    except ValueError as e:
        raise CallbackRefused(gettext_noop("%(phone)s: %(reason)s"), phone=phone,
                              reason=str(e)) from None
    if by is not None and by.role == Role.AGENT and policy.agent_id != by.agent_id:
        raise CallbackRefused(gettext_noop("policy %(policy)s is not yours"),
                              policy=policy.policy_no)
    _check_scope(policy, by)
    if load_phone_book({phone}).is_false(phone, policy.applicant_id_number):
        raise CallbackRefused(gettext_noop("%(phone)s is an agent's or a branch's number: "
                                           "give the customer's own"), phone=phone)
    with transaction.atomic():
        update = ContactUpdate.objects.create(
            policy=policy, changed_at=at, phone=phone, recorded_by=by,
            agent=agent or (by.agent if by is not None and by.agent_id else None),
            created_at=now, updated_at=now)
        _log("contact_update.recorded", "policy", policy.policy_no, by, now,
             at=at.isoformat(), same=phone == _phone_before(policy, at))
        evaluate(as_of=_just_after(at), policy_ids=[policy.pk], scope=policy.policy_no)
    return update


def _phone_before(policy: Policy, at: dt.datetime) -> str:
    last = (ContactUpdate.objects.live().filter(policy=policy, changed_at__lt=at)
            .order_by("-changed_at").first())
    return last.phone if last else policy.applicant_phone


# -- special requests -----------------------------------------------------------------


def request_add(*, policy: Policy, kind: str, by, requested_on: dt.date | None = None,
                earliest_on: dt.date | None = None, reason: str = "") -> CallbackRequest:
    """An early callback or an exemption asked for (rules §4.7); approved separately."""
    if kind not in RequestKind.values:
        raise CallbackRefused(gettext_noop("unknown request kind %(kind)s"), kind=kind)
    if kind == RequestKind.EXEMPTION and earliest_on is not None:
        raise CallbackRefused(gettext_noop("an exemption has no call date"))
    if by is not None and by.role == Role.AGENT and policy.agent_id != by.agent_id:
        raise CallbackRefused(gettext_noop("policy %(policy)s is not yours"),
                              policy=policy.policy_no)
    _check_scope(policy, by)
    now = timezone.now()
    with transaction.atomic():
        request, created = CallbackRequest.objects.get_or_create(
            policy=policy, kind=kind, defaults=dict(
                requested_on=requested_on or timezone.localdate(), earliest_on=earliest_on,
                reason=reason, requested_by=by, created_at=now, updated_at=now))
        if not created:
            raise CallbackRefused(gettext_noop("policy %(policy)s already has this request: "
                                               "%(kind)s"), policy=policy.policy_no,
                                  kind=RequestKind(kind).label)
        _log("callback_request.added", "policy", policy.policy_no, by, now, request=kind)
    return request


def request_approve(*, request: CallbackRequest, by, on: dt.date | None = None):
    """The branch coordinator approves (rules §4.7); the workflow honours it at once."""
    if not _has_role(by, COORDINATOR_ROLES):
        raise CallbackRefused(gettext_noop("only the branch coordinator approves requests"))
    _check_scope(request.policy, by)
    if request.approved_on is not None:
        raise CallbackRefused(gettext_noop("the request was approved on %(day)s"),
                              day=request.approved_on)
    now = timezone.now()
    with transaction.atomic():
        request.approved_on, request.approved_by = on or timezone.localdate(), by
        request.updated_at = now
        request.save(update_fields=["approved_on", "approved_by", "updated_at"])
        _log("callback_request.approved", "policy", request.policy.policy_no, by, now,
             request=request.kind)
        evaluate(as_of=now, policy_ids=[request.policy_id], scope=request.policy.policy_no)
    return request


# -- the manual callback --------------------------------------------------------------


def manual_assign(*, task: ManualCallback, owner, by) -> ManualCallback:
    if not _has_role(by, COORDINATOR_ROLES) or not _has_role(owner, COORDINATOR_ROLES):
        raise CallbackRefused(gettext_noop("manual callbacks are owned by quality officers"))
    _check_scope(task.policy, by)
    with transaction.atomic():
        task.owner = owner
        task.save(update_fields=["owner"])
        _log("manual_callback.assigned", "policy", task.policy.policy_no, by, timezone.now(),
             owner=owner.username)
    return task


def manual_attach(*, task: ManualCallback, file, by) -> ManualDocument:
    """The customer's signed reply (letter) or confirmation (visit), or any paper."""
    _check_scope(task.policy, by)
    now = timezone.now()
    with transaction.atomic():
        doc = ManualDocument.objects.create(task=task, file=file, name=file.name[:200],
                                            uploaded_by=by, uploaded_at=now)
        _log("manual_callback.document", "policy", task.policy.policy_no, by, now,
             name=doc.name)
    return doc


# -- the call queue -------------------------------------------------------------------


def queue(user, now: dt.datetime | None = None):
    """Policies that may be called now (rules §4.2, §4.8), nearest deadline first, not
    locked by another operator."""
    now = now or timezone.now()
    params = CallbackParams()
    if not rules.in_hours(now, params.default):
        return CallbackStatus.objects.none()
    return (CallbackStatus.objects.restrict(user)
            .filter(status__in=[rules.WAITING, rules.ROUND_1, rules.ROUND_2],
                    next_call_at__lte=now, phone_false=False)
            .exclude(policy__in=CallLock.objects.filter(until__gt=now).exclude(operator=user)
                     .values("policy"))
            .select_related("policy", "policy__agent", "policy__product")
            .order_by("deadline_at", "next_call_at", "policy_id"))


def call_open(*, policy: Policy, operator, now: dt.datetime | None = None,
              inbound: bool = False) -> CallLock:
    """The operator opens the call screen: the policy is his while he calls. Refused when
    another operator has it, or when the rules do not allow a call now. A customer
    calling in (`inbound`) may be taken whenever a phone round is open: the hours, the
    spacing and his appointment bind our calls, not his."""
    if not _has_role(operator, CALLER_ROLES):
        raise CallbackRefused(gettext_noop("%(user)s may not record callbacks"), user=operator)
    _check_scope(policy, operator)
    now = now or timezone.now()
    ev = current_state(policy, as_of=now)
    if inbound and ev.state.status not in (rules.ROUND_1, rules.ROUND_2):
        raise CallbackRefused(gettext_noop("no phone round of policy %(policy)s is open"),
                              policy=policy.policy_no)
    if not inbound and not rules.may_call_now(ev.state, now, ev.params):
        raise CallbackRefused(gettext_noop("policy %(policy)s may not be called now"),
                              policy=policy.policy_no)
    minutes = CallbackParams().value("lock_minutes", timezone.localdate(now))
    with transaction.atomic():
        lock = CallLock.objects.select_for_update().filter(policy=policy).first()
        if lock is not None and lock.operator_id != operator.pk and lock.until > now:
            raise CallbackRefused(gettext_noop("%(user)s is calling policy %(policy)s"),
                                  user=lock.operator, policy=policy.policy_no)
        lock, _ = CallLock.objects.update_or_create(policy=policy, defaults=dict(
            operator=operator, locked_at=now, until=now + dt.timedelta(minutes=minutes)))
        _log("callback.call_opened", "policy", policy.policy_no, operator, now)
    return lock


def call_take_next(*, operator, now: dt.datetime | None = None) -> Policy | None:
    """The first policy of the operator's queue, locked to him (the queue is split among
    operators by who takes what)."""
    now = now or timezone.now()
    for status in queue(operator, now)[:20]:
        try:
            call_open(policy=status.policy, operator=operator, now=now)
        except CallbackRefused:
            continue  # taken meanwhile, or no longer callable: the next one
        return status.policy
    return None


def call_release(*, policy: Policy, operator) -> None:
    CallLock.objects.filter(policy=policy, operator=operator).delete()
