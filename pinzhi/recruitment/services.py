"""Every change of recruitment (issue 8), as a keyword-only service function: each checks
who and when, records the fact, writes an event row, in a transaction.

- Only the recruiting roles (Role.RECRUIT) record candidates and checks and sign the
  contract, and only in their scope (the candidate's team in their subtree).
- The contract is signed only when the verdict (rules.verdict, with Pinzhi's own check
  of its former agents) is ok on the day it is signed; the refusal names every reason.
- Signing creates the agent (org.Agent, active) and links him to the candidate.
"""

import datetime as dt
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from pinzhi.accounts.models import Role
from pinzhi.core.masking import MOBILE_RE, id_number_checksum_ok, normalise_phone
from pinzhi.core.models import Event
from pinzhi.core.refusals import Refused
from pinzhi.org.models import Agent, Level, Unit

from . import rules
from .models import Candidate, RecruitmentCheck
from .verdicts import verdict_for


class RecruitmentRefused(Refused):
    """A change of recruitment that is not allowed (pinzhi.core.refusals)."""


def may_recruit(user) -> bool:
    return user is not None and user.has_role(Role.RECRUIT)


def _check_user(by, candidate_or_team, refusal: str) -> None:
    """`by` None is the system (an import, the demo); anyone else recruits in scope.
    `refusal`: the whole message (one per action, so that it translates whole)."""
    if by is None:
        return
    if not may_recruit(by):
        raise RecruitmentRefused(refusal, user=by)
    if isinstance(candidate_or_team, Unit):
        in_scope = Unit.objects.restrict(by).filter(pk=candidate_or_team.pk).exists()
        name = candidate_or_team.code
    else:
        in_scope = Candidate.objects.restrict(by).filter(pk=candidate_or_team.pk).exists()
        name = candidate_or_team.candidate_no
    if not in_scope:
        raise RecruitmentRefused(gettext_noop("%(what)s is outside %(user)s's scope"),
                                 what=name, user=by)


def _check_day(name: str, day: dt.date | None, not_before: dt.date | None = None) -> None:
    if day is None:
        return
    if day > timezone.localdate():
        raise RecruitmentRefused(gettext_noop("%(field)s %(day)s is in the future"),
                                 field=name, day=day)
    if not_before is not None and day < not_before:
        raise RecruitmentRefused(gettext_noop("%(field)s %(day)s is before %(before)s"),
                                 field=name, day=day, before=not_before)


def _log(action: str, on: tuple[str, str], by, **data) -> None:
    """An event on `on` = (kind, key) of the log: the candidate, or the agent."""
    Event.objects.create(actor=by, action=action, kind=on[0], key=on[1],
                         data={k: v.isoformat() if isinstance(v, dt.date) else v
                               for k, v in data.items()})


def _clean_person(name: str, id_number: str, phone: str) -> tuple[str, str, str]:
    name, id_number = name.strip(), id_number.strip().upper()
    if not name:
        raise RecruitmentRefused(gettext_noop("name is required"))
    if not id_number_checksum_ok(id_number):
        raise RecruitmentRefused(gettext_noop("id_number is not a valid 18-digit national ID "
                                              "number (check digit)"))
    phone = normalise_phone(phone.strip())
    if not MOBILE_RE.match(phone):
        raise RecruitmentRefused(gettext_noop("phone is not a mobile number (11 digits "
                                              "starting 13-19)"))
    return name, id_number, phone


def _check_open(candidate: Candidate) -> None:
    """A candidate still before his contract, not voided (a locked row)."""
    if candidate.voided_at is not None:
        raise RecruitmentRefused(gettext_noop("candidate %(no)s is voided"),
                                 no=candidate.candidate_no)
    if candidate.agent_id is not None:
        raise RecruitmentRefused(gettext_noop("candidate %(no)s has signed the contract "
                                              "already"), no=candidate.candidate_no)


def candidate_record(*, name: str, id_number: str, phone: str, team: Unit, rank: str,
                     applied_on: dt.date, by, candidate_no: str = "") -> Candidate:
    """A candidate; numbered R + month + id when no number is given."""
    _check_user(by, team, gettext_noop("%(user)s may not record candidates"))
    name, id_number, phone = _clean_person(name, id_number, phone)
    if team.level != Level.TEAM or team.voided_at is not None:
        raise RecruitmentRefused(gettext_noop("team %(unit)s is not a team: agents belong to "
                                              "teams"), unit=team.code)
    if not rank.strip():
        raise RecruitmentRefused(gettext_noop("rank is required"))
    _check_day("applied_on", applied_on)
    candidate_no = candidate_no.strip()
    with transaction.atomic():
        if candidate_no and Candidate.objects.filter(candidate_no=candidate_no).exists():
            raise RecruitmentRefused(gettext_noop("candidate %(no)s exists already"),
                                     no=candidate_no)
        candidate = Candidate.objects.create(
            candidate_no=candidate_no or f"TMP-{uuid.uuid4().hex}", name=name,
            id_number=id_number, phone=phone, team=team, rank=rank.strip(),
            applied_on=applied_on, recorded_by=by)
        if not candidate_no:
            candidate.candidate_no = f"R{applied_on:%Y%m}{candidate.pk:06d}"
            candidate.save(update_fields=["candidate_no"])
        _log("recruitment.candidate", ("candidate", candidate.candidate_no), by,
             team=team.code, rank=candidate.rank, applied_on=applied_on)
    return candidate


def check_record(*, candidate: Candidate, kind: str, checked_on: dt.date, outcome: str,
                 source: str, by, event_on: dt.date | None = None,
                 ends_on: dt.date | None = None, note: str = "") -> RecruitmentCheck:
    """One check of one bar, with who was asked and what came back."""
    _check_user(by, candidate, gettext_noop("%(user)s may not record recruitment checks"))
    if not source.strip():
        raise RecruitmentRefused(gettext_noop("source is required: who was asked"))
    refusal = rules.check_refusal(kind, outcome, checked_on, event_on, ends_on)
    if refusal:
        raise RecruitmentRefused(gettext_noop("%(field)s: %(why)s"), field=refusal[0],
                                 why=refusal[1])
    _check_day("checked_on", checked_on, candidate.applied_on)
    with transaction.atomic():
        candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
        _check_open(candidate)
        if candidate.checks.filter(kind=kind, checked_on=checked_on).exists():
            raise RecruitmentRefused(gettext_noop("a %(kind)s check of %(day)s is recorded "
                                                  "already"), kind=kind, day=checked_on)
        check = RecruitmentCheck.objects.create(
            candidate=candidate, kind=kind, checked_on=checked_on, outcome=outcome,
            event_on=event_on, ends_on=ends_on, source=source.strip(), note=note, by=by)
        _log("recruitment.checked", ("candidate", candidate.candidate_no), by, kind=kind,
             outcome=outcome, checked_on=checked_on, event_on=event_on, ends_on=ends_on,
             source=check.source)
    return check


def contract_sign(*, candidate: Candidate, code: str, hired_on: dt.date, by) -> Agent:
    """The agency contract: refused unless the verdict is ok on `hired_on`; creates the
    agent (active, in the candidate's team and rank) and links him."""
    _check_user(by, candidate, gettext_noop("%(user)s may not sign agency contracts"))
    code = code.strip()
    if not code:
        raise RecruitmentRefused(gettext_noop("code is required: the agent's code"))
    _check_day("hired_on", hired_on, candidate.applied_on)
    with transaction.atomic():
        candidate = (Candidate.objects.select_for_update().select_related("team")
                     .get(pk=candidate.pk))
        _check_open(candidate)
        if Agent.objects.filter(code=code).exists():
            raise RecruitmentRefused(gettext_noop("code: agent %(code)s exists already"),
                                     code=code)
        if Agent.objects.filter(id_number=candidate.id_number, voided_at__isnull=True,
                                status=Agent.Status.ACTIVE).exists():
            raise RecruitmentRefused(gettext_noop("id_number: an active agent of ours has "
                                                  "this ID number"))
        verdict = verdict_for(candidate, hired_on)
        if not verdict.ok:
            raise RecruitmentRefused(gettext_noop("candidate %(no)s may not sign on %(day)s: "
                                                  "%(why)s"), no=candidate.candidate_no,
                                     day=hired_on, why="; ".join(verdict.reasons))
        agent = Agent.objects.create(
            code=code, name=candidate.name, id_number=candidate.id_number,
            phone=candidate.phone, rank=candidate.rank, team=candidate.team,
            status=Agent.Status.ACTIVE, hired_on=hired_on)
        candidate.agent = agent
        candidate.save(update_fields=["agent"])
        _log("recruitment.contracted", ("candidate", candidate.candidate_no), by, agent=code,
             hired_on=hired_on)
        # The agent's own history starts here, with what the agents feed would have set.
        fields = {"name": agent.name, "id_number": agent.id_number, "phone": agent.phone,
                  "unit_code": candidate.team.code, "rank": agent.rank,
                  "hired_on": hired_on.isoformat(), "status": agent.status}
        _log("agent.created", ("agent", code), by,
             changes={k: [None, v] for k, v in fields.items()}, source="recruitment",
             candidate=candidate.candidate_no)
    return agent
