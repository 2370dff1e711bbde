"""Every change of a case, as a keyword-only service function (rules §7.2).

Each checks that the change is allowed, records who and when, writes an event row, and
runs in a transaction. Nothing else changes a case's state.
"""

import datetime as dt
import uuid

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from pinzhi.accounts.models import Role
from pinzhi.core import parameters
from pinzhi.core.calendar import load_calendar
from pinzhi.core.models import Event
from pinzhi.core.refusals import Refused

from .catalogue import version_in_force
from .models import Case, CaseSource, CaseStatus, ViolationType

# Roles that confirm and dismiss cases and decide appeals (rules §9).
OFFICER_ROLES = frozenset({Role.QUALITY_OFFICER, Role.HQ_QUALITY, Role.ADMIN})
# Cases whose type carries the regulator's clock for putting things right (rules §4.8).
CLOCKED_TYPES = {"misleading_sales": "quality.misleading_fix_working_days",
                 "investment_risk_concealed": "quality.misleading_fix_working_days"}


class CaseRefused(Refused):
    """A change of a case that is not allowed (pinzhi.core.refusals); a case's state in
    the message is shown by its label."""

    def localized(self) -> str:
        params = {k: _STATE_LABELS.get(v, v) if k == "status" else v
                  for k, v in self.params.items()}
        text = gettext(self.message)
        return text % params if params else text


_STATE_LABELS = {**dict(CaseStatus.choices), "voided": _("voided")}


def _log(case: Case, action: str, by, at: dt.datetime, **data) -> None:
    Event.objects.create(at=at, actor=by, action=f"case.{action}", kind="case",
                         key=case.case_no, data=data)


def _is_officer(user) -> bool:
    return user is not None and user.has_role(OFFICER_ROLES)


def _state(case: Case) -> str:
    return case.status if case.voided_at is None else "voided"


def _check_officer(case: Case, by) -> None:
    if not _is_officer(by):
        raise CaseRefused(gettext_noop("%(user)s may not decide cases"), user=by)
    if not Case.objects.restrict(by).filter(pk=case.pk).exists():
        raise CaseRefused(gettext_noop("case %(case)s is outside %(user)s's units"),
                          case=case.case_no, user=by)


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def case_draft(*, agent, violation_code: str, occurred_on: dt.date, source: str, by=None,
               policy=None, evidence: str = "", found_on: dt.date | None = None,
               case_no: str | None = None, rule_key: str | None = None) -> Case:
    """A new case in draft, priced by the catalogue version in force on `occurred_on`."""
    found_on = found_on or timezone.localdate()
    version = version_in_force(violation_code, on=occurred_on, unit_path=agent.team.path)
    if version is None:
        raise CaseRefused(gettext_noop("no violation %(code)s in force on %(day)s"),
                          code=violation_code, day=occurred_on)
    now = timezone.now()
    with transaction.atomic():
        case = Case.objects.create(
            case_no=case_no or f"TMP-{uuid.uuid4().hex}", agent=agent, type=version.type,
            version=version, occurred_on=occurred_on, found_on=found_on, policy=policy,
            evidence=evidence, source=source, rule_key=rule_key, found_by=by,
            due_on=_due_on(violation_code, found_on, agent), created_at=now, updated_at=now)
        if case_no is None:
            case.case_no = f"Q{found_on:%Y%m}{case.pk:06d}"
            case.save(update_fields=["case_no"])
        _log(case, "drafted", by, now, type=violation_code, occurred_on=str(occurred_on),
             source=source)
    return case


def _due_on(code: str, found_on: dt.date, agent) -> dt.date | None:
    key = CLOCKED_TYPES.get(code)
    if key is None:
        return None
    days = parameters.value(key, on=found_on, unit=agent.team)
    return load_calendar().add_working_days(found_on, int(days))


def case_confirm(*, case: Case, by, note: str = "") -> Case:
    """draft → confirmed by a quality officer; the agent is told now (in the application)."""
    _check_officer(case, by)
    with transaction.atomic():
        case = _locked(case)
        if case.voided_at is not None or case.status != CaseStatus.DRAFT:
            raise CaseRefused(gettext_noop("case %(case)s is %(status)s: only a draft can be "
                                           "confirmed"), case=case.case_no, status=_state(case))
        now = timezone.now()
        case.status, case.decided_by, case.decided_at = CaseStatus.CONFIRMED, by, now
        case.decision_note, case.told_at, case.updated_at = note, now, now
        case.save()
        _log(case, "confirmed", by, now, note=note)
    return case


def case_dismiss(*, case: Case, by, note: str) -> Case:
    """draft → dismissed by a quality officer, with the reason."""
    _check_officer(case, by)
    if not note.strip():
        raise CaseRefused(gettext_noop("a reason is required to dismiss a case"))
    with transaction.atomic():
        case = _locked(case)
        if case.voided_at is not None or case.status != CaseStatus.DRAFT:
            raise CaseRefused(gettext_noop("case %(case)s is %(status)s: only a draft can be "
                                           "dismissed"), case=case.case_no, status=_state(case))
        now = timezone.now()
        case.status, case.decided_by, case.decided_at = CaseStatus.DISMISSED, by, now
        case.decision_note, case.updated_at = note, now
        case.save()
        _log(case, "dismissed", by, now, note=note)
    return case


def case_attach_file(*, case: Case, file, by):
    """Add an evidence file to a case (quality officers; a voided case takes no more)."""
    from .models import CaseAttachment

    _check_officer(case, by)
    if case.voided_at is not None:
        raise CaseRefused(gettext_noop("case %(case)s is voided"), case=case.case_no)
    with transaction.atomic():
        attachment = CaseAttachment.objects.create(case=case, file=file, name=file.name,
                                                   uploaded_by=by)
        _log(case, "file_added", by, timezone.now(), file=file.name)
    return attachment


def appeal_deadline(case: Case) -> dt.datetime | None:
    """End of the last day the agent may appeal: `told_at` + the window (default 10 days)."""
    if case.told_at is None:
        return None
    told = timezone.localtime(case.told_at)
    days = parameters.value("quality.appeal_window_days", on=told.date(), unit=case.agent.team)
    last = told.date() + dt.timedelta(days=int(days))
    return timezone.make_aware(dt.datetime.combine(last, dt.time.max))


def case_appeal(*, case: Case, by, reason: str, at: dt.datetime | None = None) -> Case:
    """confirmed → appealed, by the agent himself, within the window after being told."""
    at = at or timezone.now()
    if by is None or by.agent_id != case.agent_id:
        raise CaseRefused(gettext_noop("only the agent of the case may appeal it"))
    if not reason.strip():
        raise CaseRefused(gettext_noop("an appeal needs a reason"))
    with transaction.atomic():
        case = _locked(case)
        if case.voided_at is not None or case.status != CaseStatus.CONFIRMED:
            raise CaseRefused(gettext_noop("case %(case)s is %(status)s: only a confirmed case "
                                           "can be appealed"), case=case.case_no,
                              status=_state(case))
        deadline = appeal_deadline(case)
        if deadline is None or at > deadline:
            if deadline is None:
                raise CaseRefused(gettext_noop("the agent has not been told of the case yet"))
            raise CaseRefused(gettext_noop("the time to appeal case %(case)s ended on %(day)s"),
                              case=case.case_no, day=f"{timezone.localtime(deadline):%Y-%m-%d}")
        case.status, case.appealed_at, case.appeal_reason, case.updated_at = (
            CaseStatus.APPEALED, at, reason, at)
        case.save()
        _log(case, "appealed", by, at, reason=reason)
    return case


def _decide_appeal(case: Case, by, note: str, outcome: str) -> Case:
    _check_officer(case, by)
    with transaction.atomic():
        case = _locked(case)
        if case.status != CaseStatus.APPEALED:
            raise CaseRefused(gettext_noop("case %(case)s is %(status)s: not under appeal"),
                              case=case.case_no, status=_state(case))
        if case.decided_by_id is not None and case.decided_by_id == by.pk:
            raise CaseRefused(gettext_noop("the officer who confirmed the case may not decide "
                                           "its appeal"))
        now = timezone.now()
        case.status, case.reviewed_by, case.reviewed_at = outcome, by, now
        case.review_note, case.updated_at = note, now
        case.save()
        _log(case, "overturned" if outcome == CaseStatus.OVERTURNED else "upheld", by, now,
             note=note)
    return case


def appeal_uphold(*, case: Case, by, note: str = "") -> Case:
    """appealed → upheld (the case stands), by a reviewer other than the confirmer."""
    return _decide_appeal(case, by, note, CaseStatus.UPHELD)


def appeal_overturn(*, case: Case, by, note: str = "") -> Case:
    """appealed → overturned (the case stops counting), by another reviewer."""
    return _decide_appeal(case, by, note, CaseStatus.OVERTURNED)


def case_record_by_rule(*, rule_key: str, agent, violation_code: str, occurred_on: dt.date,
                        policy=None, evidence: str = "") -> Case:
    """The case of a deterministic rule (§4.6, §5, §7.3, §7.4): confirmed by the rule.

    Idempotent: the same facts give the same case. When the facts changed (another day,
    another type), the old case is voided and a new one recorded, both audited.
    """
    with transaction.atomic():
        current = Case.objects.select_for_update().filter(rule_key=rule_key).first()
        if current is not None:
            same = (current.type.code, current.occurred_on, current.agent_id) == (
                violation_code, occurred_on, agent.pk)
            if same:
                return current
            case_void_by_rule(rule_key=rule_key, reason="the facts changed")
        case = case_draft(agent=agent, violation_code=violation_code, occurred_on=occurred_on,
                          source=CaseSource.RULE, policy=policy, evidence=evidence,
                          found_on=timezone.localdate(), rule_key=rule_key)
        now = timezone.now()
        case.status, case.decided_at, case.told_at, case.updated_at = (
            CaseStatus.CONFIRMED, now, now, now)
        case.save()
        _log(case, "confirmed", None, now, by_rule=rule_key)
    return case


def case_void_by_rule(*, rule_key: str, reason: str) -> Case | None:
    """The rule's fact was corrected or voided: its case is voided (kept, audited)."""
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(rule_key=rule_key).first()
        if case is None or case.voided_at is not None:
            return case
        now = timezone.now()
        # The key is freed for a replacement; the voided case keeps it in its event.
        case.voided_at, case.void_reason, case.updated_at = now, reason, now
        case.rule_key = f"{rule_key}#void{case.pk}"
        case.save()
        _log(case, "voided", None, now, reason=reason, rule_key=rule_key)
    return case


def violation_types():
    return ViolationType.objects.order_by("code")


def cases_confirm_imported(*, cases, by, now: dt.datetime) -> int:
    """Cases a file gives as confirmed are confirmed by the importing user (rules §7.2).

    Set-based: one INSERT … SELECT writes a `case.confirmed` event per case, one UPDATE
    confirms them, however many there are.
    """
    from django.db import connection

    pending = cases.filter(status=CaseStatus.CONFIRMED, decided_at__isnull=True)
    select, params = pending.values("case_no").query.sql_with_params()
    at = Event._meta.get_field("at").get_db_prep_save(now, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Event._meta.db_table} (at, actor_id, action, kind, {_q('key')}, data) "
            f"SELECT %s, %s, 'case.confirmed', 'case', p.case_no, %s FROM ({select}) p",
            [at, by.pk if by else None, '{"source": "import"}', *params])
    return pending.update(decided_by=by, decided_at=now, told_at=now, updated_at=now)


def _q(name: str) -> str:
    from django.db import connection

    return connection.ops.quote_name(name)


# -- the catalogue, thresholds and half-years (head office) ------------------------------

CATALOGUE_ROLES = frozenset({Role.HQ_QUALITY, Role.ADMIN})


def _check_catalogue_editor(by, unit) -> None:
    """Head office edits the catalogue; a branch's quality officer may add versions for
    his own subtree (rules §7.1: a branch overrides head office for its subtree)."""
    if by is None or by.has_role(CATALOGUE_ROLES):
        return
    if by.role == Role.QUALITY_OFFICER and unit is not None and by.unit_id and \
            unit.path.startswith(by.unit.path):
        return
    raise CaseRefused(gettext_noop("%(user)s may not change the catalogue for this unit"),
                      user=by)


def catalogue_add_version(*, code: str, valid_from: dt.date, points_tenths: int, by,
                          name_zh: str = "", name_en: str = "", article: str = "",
                          tier_after: int | None = None,
                          tier_points_tenths: int | None = None, unit=None):
    """A new price for a violation type from `valid_from` on (a new type if the code is
    new). Versions are added, never edited: cases keep the version they were priced by."""
    from .models import ViolationVersion

    _check_catalogue_editor(by, unit)
    with transaction.atomic():
        kind, created = ViolationType.objects.get_or_create(
            code=code, defaults={"owner": unit})
        previous = kind.versions.order_by("-valid_from").first()
        if previous is None and not (name_zh and name_en):
            raise CaseRefused(gettext_noop("a new violation type needs its Chinese and "
                                           "English names"))
        if kind.versions.filter(unit=unit, valid_from=valid_from).exists():
            raise CaseRefused(gettext_noop("%(code)s already has a version from %(day)s for this "
                                           "unit"), code=code, day=valid_from)
        version = ViolationVersion.objects.create(
            type=kind, unit=unit, valid_from=valid_from, points_tenths=points_tenths,
            name_zh=name_zh or previous.name_zh, name_en=name_en or previous.name_en,
            article=article or (previous.article if previous else ""),
            tier_after=tier_after, tier_points_tenths=tier_points_tenths, created_by=by)
        Event.objects.create(actor=by, action="catalogue.version_added", kind="violation",
                             key=code, data={"valid_from": str(valid_from),
                                             "points_tenths": points_tenths,
                                             "unit": unit.code if unit else None})
    return version


def scheme_add_version(*, valid_from: dt.date, lines: list, single_case_termination_tenths: int,
                       by, unit=None):
    """New thresholds (rules §7.6) from `valid_from` on, for the company or a subtree."""
    from .models import StandingScheme

    _check_catalogue_editor(by, unit)
    froms = [line[0] for line in lines]
    if not lines or froms[0] != 0 or froms != sorted(set(froms)):
        raise CaseRefused(gettext_noop("thresholds must start at 0 and rise"))
    if StandingScheme.objects.filter(unit=unit, valid_from=valid_from).exists():
        raise CaseRefused(gettext_noop("there are already thresholds from %(day)s for this unit"),
                          day=valid_from)
    with transaction.atomic():
        scheme = StandingScheme.objects.create(
            unit=unit, valid_from=valid_from, lines=lines, created_by=by,
            single_case_termination_tenths=single_case_termination_tenths)
        Event.objects.create(actor=by, action="thresholds.version_added", kind="thresholds",
                             key=str(valid_from), data={"lines": lines})
    return scheme


def half_year_close(*, period: str, by):
    """Head office hands the half-year's scores to HR (rules §7.2); cases that change
    it later are listed as corrections."""
    from .models import HalfYearClose
    from .scoring import half_year_bounds

    half_year_bounds(period)
    if by is None or not by.has_role(CATALOGUE_ROLES):
        raise CaseRefused(gettext_noop("%(user)s may not close a half-year"), user=by)
    with transaction.atomic():
        if HalfYearClose.objects.filter(period=period).exists():
            raise CaseRefused(gettext_noop("%(period)s is already closed"), period=period)
        close = HalfYearClose.objects.create(period=period, closed_at=timezone.now(),
                                             closed_by=by)
        Event.objects.create(actor=by, action="half_year.closed", kind="half_year",
                             key=period)
    return close
