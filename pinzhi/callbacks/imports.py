"""The `callback_attempts`, `contact_updates` and `callback_requests` feed files
(interfaces.md), and the phone check of imported policies (rules §4.6).

The rows are written by the engine like any kind's; then the policies they concern are
re-evaluated, and every imported attempt the facts do not count (outside the hours, too
soon, a round not open, after the end) is listed as a warning.
"""

from django.db.models import Q
from django.utils import translation

from pinzhi.core.importing import Column, ImportSpec, Reference, add_after_apply, register
from pinzhi.core.importing import parsers as p
from pinzhi.core.importing.staging import TABLE
from pinzhi.org.models import Agent
from pinzhi.policies.models import Policy

from .evaluation import evaluate
from .models import (
    CallbackAttempt,
    CallbackRequest,
    ContactUpdate,
    Finding,
    Flag,
    Method,
    Outcome,
    RequestKind,
    Round,
)
from .services import draft_finding_cases

# Beyond this many policies a file's follow-up evaluates everything (one streamed pass)
# rather than a list of ids.
SUBSET_LIMIT = 5000
POLICY = Reference("policy_no", "policy", Policy, to_field="policy_no")


def _policy_ids(stage) -> list[int] | None:
    ids = [r[0] for r in stage.fetch(f"SELECT DISTINCT _id_policy_no FROM {TABLE}")]
    return ids if len(ids) <= SUBSET_LIMIT else None


def _check_attempt(values, today):
    errors = []
    manual = values["round"] == Round.MANUAL
    if values.get("phone_changed") and not manual:
        errors.append(("phone_changed", "true", "only the manual round changes the phone"))
    if values.get("method") and not manual:
        errors.append(("method", values["method"], "only for the manual round"))
    if values.get("findings") and values["outcome"] != Outcome.SUCCESS:
        errors.append(("findings", values["findings"], "only a successful callback has "
                                                       "findings"))
    return errors


def _after_attempts(stage) -> list[str]:
    new = CallbackAttempt.objects.live().exclude(findings="").filter(
        policy_id__in=_stage_ids(stage), outcome=Outcome.SUCCESS).select_related(
        "policy__agent__team")
    for attempt in new.iterator():
        draft_finding_cases(attempt=attempt, by=stage.by)
    evaluate(as_of=stage.now, policy_ids=_policy_ids(stage), scope="import")
    flagged = stage.fetch(
        f"SELECT s.row_no, s.policy_no, a.flag FROM {TABLE} s "
        f"JOIN {CallbackAttempt._meta.db_table} a ON a.policy_id = s._id_policy_no "
        f"AND a.round = s.round AND a.attempted_at = s.attempted_at "
        f"WHERE a.flag <> '' AND a.voided_at IS NULL ORDER BY s.row_no")
    with translation.override("en"):  # like every line of an import's summary
        labels = {code: str(label) for code, label in Flag.choices}
    return [f"row {row}: {policy}: kept, not counted: {labels.get(flag, flag)}"
            for row, policy, flag in flagged]


def _stage_ids(stage):
    from django.db.models.expressions import RawSQL

    return RawSQL(f"SELECT _id_policy_no FROM {TABLE}", [])


ATTEMPTS = register(ImportSpec(
    kind="callback_attempts",
    model=CallbackAttempt,
    key=("policy_no", "round", "attempted_at"),
    columns=(
        Column("policy_no", p.code(), field="policy"),
        Column("round", p.choice(*Round.values)),
        Column("attempted_at", p.timestamp, not_future=True),
        Column("outcome", p.choice(*Outcome.values)),
        Column("findings", p.choice_list(*Finding.values), required=False, default=""),
        Column("phone_changed", p.boolean, required=False, default=False),
        Column("satisfaction", p.integer(1, 5), required=False),
        Column("method", p.choice(*Method.values), required=False, default=""),
        Column("operator", p.text(60), required=False, default=""),
        Column("note", p.text(2000), required=False, default=""),
    ),
    references=(POLICY,),
    check_row=_check_attempt,
    after_apply=_after_attempts,
    description="callback attempts from the call centre",
))


def _after_updates(stage) -> list[str]:
    evaluate(as_of=stage.now, policy_ids=_policy_ids(stage), scope="import")
    from pinzhi.quality.models import Case

    from .effects import false_info_key

    rows = stage.fetch(f"SELECT s.row_no, s.policy_no, u.changed_at FROM {TABLE} s JOIN "
                       f"{ContactUpdate._meta.db_table} u ON u.policy_id = s._id_policy_no "
                       f"AND u.changed_at = s.updated_at ORDER BY s.row_no")
    keys = {false_info_key(policy, _aware(at)): (row, policy) for row, policy, at in rows}
    cased = Case.objects.filter(rule_key__in=keys).values_list("rule_key", flat=True)
    return [f"row {keys[k][0]}: {keys[k][1]}: the phone is an agent's or a branch's: "
            f"a false-customer-information case was recorded" for k in cased]


def _aware(value):
    import datetime as dt

    from django.utils.dateparse import parse_datetime

    if isinstance(value, str):  # SQLite: UTC text
        value = parse_datetime(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


UPDATES = register(ImportSpec(
    kind="contact_updates",
    model=ContactUpdate,
    key=("policy_no", "updated_at"),
    columns=(
        Column("policy_no", p.code(), field="policy"),
        Column("updated_at", p.timestamp, not_future=True, field="changed_at"),
        Column("phone", p.phone),
        Column("agent_code", p.code(), required=False, field="agent"),
    ),
    references=(POLICY, Reference("agent_code", "agent", Agent)),
    after_apply=_after_updates,
    description="applicants' phones confirmed or updated by agents",
))


def _check_request(values, today):
    errors = []
    approved, earliest = values.get("approved_on"), values.get("earliest_on")
    if approved is not None and approved < values["requested_on"]:
        errors.append(("approved_on", approved.isoformat(), "before requested_on"))
    if earliest is not None and values["kind"] != RequestKind.EARLY:
        errors.append(("earliest_on", earliest.isoformat(), "only for an early callback"))
    return errors


def _after_requests(stage) -> list[str]:
    evaluate(as_of=stage.now, policy_ids=_policy_ids(stage), scope="import")
    return []


REQUESTS = register(ImportSpec(
    kind="callback_requests",
    model=CallbackRequest,
    key=("policy_no", "kind"),
    columns=(
        Column("policy_no", p.code(), field="policy"),
        Column("kind", p.choice(*RequestKind.values)),
        Column("requested_on", p.date, not_future=True),
        Column("approved_on", p.date, required=False, not_future=True),
        Column("earliest_on", p.date, required=False),
    ),
    references=(POLICY,),
    check_row=_check_request,
    after_apply=_after_requests,
    description="early-callback and exemption requests",
))


def _check_policy_phones(stage) -> list[str]:
    """Imported policies whose applicant phone is an agent's or a branch's (rules §4.6):
    a number problem and a false-customer-information case, recorded now."""
    from .effects import false_info_key, given_at_signing, record_false_contact_cases
    from .phones import load_phone_book

    book = load_phone_book()
    candidates = (Policy.objects.live()
                  .filter(policy_no__in=_stage_column(stage, "policy_no"))
                  .filter(Q(applicant_phone__in=Agent.objects.values("phone"))
                          | Q(applicant_phone__in=sorted(book.landlines)))
                  .values_list("id", "agent_id", "signed_on", "policy_no", "applicant_phone",
                               "applicant_id_number"))
    false = [(pid, agent, signed, false_info_key(no), given_at_signing(phone))
             for pid, agent, signed, no, phone, id_number in candidates
             if book.is_false(phone, id_number)]
    recorded = record_false_contact_cases(false)
    return [f"{recorded} policies give an agent's or a branch's phone: false-customer-"
            f"information cases recorded"] if recorded else []


def _stage_column(stage, column: str):
    from django.db.models.expressions import RawSQL

    return RawSQL(f'SELECT "{column}" FROM {TABLE}', [])


add_after_apply("policies", _check_policy_phones)
