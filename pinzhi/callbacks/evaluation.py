"""Moving time (`pinzhi evaluate --as-of`): every policy's callback state recomputed from
its facts by the one pure rule (`rules.callback_state`), written back in bulk.

The facts are streamed in policy order (policies, attempts, updates, approved requests,
the stored states), merged in Python, and only what changed is written: states through a
staging table (COPY on PostgreSQL) and one upsert, attempt flags through one UPDATE. What
follows from a state is set-based too: manual-callback tasks opened, agents told of a
failed round, false-contact cases recorded. A run is idempotent: for the same moment and
the same facts it computes the same rows and writes nothing.

`states(as_of=..., known_at=...)` is the same stream without writing: the settlement
reads the callbacks as they stood at its cutoff from it.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from pinzhi.core.models import Event
from pinzhi.policies.models import Policy

from . import rules
from .models import (
    CallbackAttempt,
    CallbackRequest,
    CallbackStatus,
    ContactUpdate,
    EvaluationRun,
    RequestKind,
)
from .params import CallbackParams
from .phones import PhoneBook, load_phone_book

CHUNK = 20_000
STATUS_FIELDS = (
    "status", "round_1_opens_at", "round_1_failed_at", "round_2_opens_at",
    "round_2_failed_at", "manual_opened_at", "success_at", "ended_at", "next_call_at",
    "deadline_at", "attempts", "findings", "findings_undecided", "phone_changed", "phone",
    "phone_false", "condition_met",
)


@dataclass
class PolicyFacts:
    id: int
    policy_no: str
    agent_id: int
    printed_on: dt.date
    signed_on: dt.date
    long_term: bool
    phone: str
    applicant_id_number: str
    unit_path: str
    cooling_off_days: int
    attempts: list[rules.Attempt] = field(default_factory=list)
    attempt_flags: dict[int, str] = field(default_factory=dict)  # stored flag by id
    updates: list[tuple[dt.datetime, str, dt.datetime]] = field(default_factory=list)
    early_from: dt.date | None = None
    exempted_on: dt.date | None = None
    stored: tuple | None = None  # the stored CallbackStatus row (STATUS_FIELDS)


@dataclass
class Evaluated:
    facts: PolicyFacts
    state: rules.CallbackState
    row: tuple  # STATUS_FIELDS
    params: rules.Params
    false_updates: list[tuple[dt.datetime, str]]  # (updated_at, phone) of false numbers
    initial_phone_false: bool


# -- reading --------------------------------------------------------------------------


def _scoped(queryset, lookup: str, policy_ids):
    return queryset if policy_ids is None else queryset.filter(**{f"{lookup}__in": policy_ids})


def _policies(policy_ids) -> Iterator[PolicyFacts]:
    rows = _scoped(Policy.objects.live(), "id", policy_ids).order_by("id").values_list(
        "id", "policy_no", "agent_id", "printed_on", "signed_on", "product__long_term",
        "applicant_phone", "applicant_id_number", "agent__team__path",
        "product__cooling_off_days")
    for row in rows.iterator(chunk_size=CHUNK):
        yield PolicyFacts(*row)


def _attempts(policy_ids) -> Iterator[tuple]:
    rows = _scoped(CallbackAttempt.objects.live(), "policy_id", policy_ids).order_by(
        "policy_id", "attempted_at").values_list(
        "policy_id", "id", "round", "attempted_at", "outcome", "findings", "phone_changed",
        "created_at", "appointment_at", "flag")
    return rows.iterator(chunk_size=CHUNK)


def _updates(policy_ids) -> Iterator[tuple]:
    rows = _scoped(ContactUpdate.objects.live(), "policy_id", policy_ids).order_by(
        "policy_id", "changed_at").values_list("policy_id", "changed_at", "phone", "created_at")
    return rows.iterator(chunk_size=CHUNK)


def _requests(policy_ids) -> Iterator[tuple]:
    rows = _scoped(CallbackRequest.objects.live().filter(approved_on__isnull=False),
                   "policy_id", policy_ids).order_by("policy_id").values_list(
        "policy_id", "kind", "approved_on", "earliest_on")
    return rows.iterator(chunk_size=CHUNK)


def _stored(policy_ids) -> Iterator[tuple]:
    rows = _scoped(CallbackStatus.objects.all(), "policy_id", policy_ids).order_by(
        "policy_id").values_list("policy_id", *STATUS_FIELDS)
    return rows.iterator(chunk_size=CHUNK)


def facts(policy_ids=None, *, with_stored: bool = False) -> Iterator[PolicyFacts]:
    """Every live policy (or those of `policy_ids`) with its callback facts, in id order."""
    streams = {
        "attempts": groupby(_attempts(policy_ids), key=lambda r: r[0]),
        "updates": groupby(_updates(policy_ids), key=lambda r: r[0]),
        "requests": groupby(_requests(policy_ids), key=lambda r: r[0]),
    }
    if with_stored:
        streams["stored"] = groupby(_stored(policy_ids), key=lambda r: r[0])
    heads = {name: next(stream, None) for name, stream in streams.items()}
    for policy in _policies(policy_ids):
        for name, stream in streams.items():
            while heads[name] is not None and heads[name][0] < policy.id:
                heads[name] = next(stream, None)  # facts of a voided policy: skipped
            if heads[name] is not None and heads[name][0] == policy.id:
                _attach(policy, name, list(heads[name][1]))
                heads[name] = next(stream, None)
        yield policy


def _attach(policy: PolicyFacts, name: str, rows: list[tuple]) -> None:
    if name == "attempts":
        for _pid, id_, round_, at, outcome, findings, changed, recorded, appt, flag in rows:
            policy.attempts.append(rules.Attempt(
                at=at, round=round_, outcome=outcome,
                findings=tuple(f for f in findings.split(";") if f), phone_changed=changed,
                recorded_at=recorded, appointment_at=appt, id=id_))
            policy.attempt_flags[id_] = flag
    elif name == "updates":
        policy.updates = [(at, phone, recorded) for _pid, at, phone, recorded in rows]
    elif name == "requests":
        for _pid, kind, approved_on, earliest_on in rows:
            if kind == RequestKind.EXEMPTION:
                policy.exempted_on = approved_on
            else:  # round 1 opens on the day asked for, or on the approval if later
                policy.early_from = max(earliest_on or approved_on, approved_on)
    else:
        policy.stored = rows[0][1:]


# -- computing (pure but for the inputs) ----------------------------------------------


def evaluate_one(facts: PolicyFacts, *, as_of: dt.datetime, params: CallbackParams,
                 book: PhoneBook, undecided: set[int],
                 known_at: dt.datetime | None = None) -> Evaluated:
    """The state of one policy at `as_of`, and the row that stores it."""
    p = params.for_policy(facts.printed_on, facts.unit_path)
    initial_false = book.is_false(facts.phone, facts.applicant_id_number)
    updates, false_updates, phone = [], [], facts.phone
    for at, number, recorded in facts.updates:
        is_false = book.is_false(number, facts.applicant_id_number)
        updates.append(rules.Update(at, is_false, recorded))
        if is_false:
            false_updates.append((at, number))
        if at < as_of and (known_at is None or recorded <= known_at):
            phone = number
    policy = rules.Policy(printed_on=facts.printed_on, long_term=facts.long_term,
                          early_from=facts.early_from, exempted_on=facts.exempted_on,
                          phone_false=initial_false)
    state = rules.callback_state(policy, facts.attempts, updates, as_of, p, known_at=known_at)
    finding_open = facts.id in undecided
    deadline = (rules.cooling_off_ends_at(facts.printed_on, facts.cooling_off_days)
                if facts.long_term else None)
    row = (state.status, state.round_1_opens_at, state.round_1_failed_at,
           state.round_2_opens_at, state.round_2_failed_at, state.manual_opened_at,
           state.success_at, state.ended_at, rules.next_call_at(state, p), deadline,
           state.attempts, ";".join(state.findings), finding_open, state.phone_changed,
           phone, book.is_false(phone, facts.applicant_id_number),
           state.condition_met and not finding_open)
    return Evaluated(facts, state, row, p, false_updates, initial_false)


def new_flags(evaluated: Evaluated) -> dict[int, str]:
    """Each attempt's flag as the facts now say (empty: it counts or is a verdict)."""
    if evaluated.state.status == rules.NOT_REQUIRED:
        return {a.id: "not_required" for a in evaluated.facts.attempts}
    flags = dict.fromkeys(evaluated.facts.attempt_flags, "")
    flags.update({a.id: code for a, code in evaluated.state.flagged})
    return flags


def _phone_book(policy_ids) -> PhoneBook:
    """The whole book for a run over everything; for a few policies, only their numbers."""
    if policy_ids is None or len(policy_ids) > 1000:
        return load_phone_book()
    phones = set(Policy.objects.filter(id__in=policy_ids).values_list("applicant_phone",
                                                                       flat=True))
    phones |= set(ContactUpdate.objects.filter(policy_id__in=policy_ids).values_list(
        "phone", flat=True))
    return load_phone_book(phones)


def undecided_findings(known_at: dt.datetime | None = None, policy_ids=None) -> set[int]:
    """Policies with a callback finding whose case is not decided yet (rules §4.4): a
    draft (an appeal does not withhold again)."""
    from pinzhi.quality.models import Case, CaseSource, CaseStatus

    cases = _scoped(Case.objects.filter(source=CaseSource.CALLBACK, voided_at__isnull=True,
                                        policy__isnull=False), "policy_id", policy_ids)
    if known_at is None:
        cases = cases.filter(status=CaseStatus.DRAFT)
    else:  # as it stood then: found by then, and not decided by then
        cases = cases.filter(created_at__lte=known_at).filter(
            Q(decided_at__isnull=True) | Q(decided_at__gt=known_at))
    return set(cases.values_list("policy_id", flat=True))


def states(*, as_of: dt.datetime, known_at: dt.datetime | None = None,
           policy_ids=None) -> Iterator[Evaluated]:
    """Every policy's callback as it stood at `as_of` (as known at `known_at`)."""
    params, book = CallbackParams(), _phone_book(policy_ids)
    undecided = undecided_findings(known_at or as_of, policy_ids=policy_ids)
    for policy in facts(policy_ids):
        yield evaluate_one(policy, as_of=as_of, params=params, book=book,
                           undecided=undecided, known_at=known_at)


# -- writing --------------------------------------------------------------------------


@dataclass
class RunResult:
    as_of: dt.datetime
    policies: int = 0
    changed: int = 0
    flags_changed: int = 0
    manual_opened: int = 0
    told: int = 0
    false_contact_cases: int = 0

    def summary(self) -> str:
        return (f"evaluated {self.policies} policies as of {self.as_of.isoformat()}: "
                f"{self.changed} states changed, {self.flags_changed} attempt flags changed, "
                f"{self.manual_opened} manual callbacks opened, {self.told} messages told, "
                f"{self.false_contact_cases} false-contact cases")


def evaluate(*, as_of: dt.datetime, policy_ids=None, scope: str = "all") -> RunResult:
    """Move every policy's callback (or those of `policy_ids`) to `as_of`."""
    from . import effects

    result = RunResult(as_of=as_of)
    started = timezone.now()
    run = EvaluationRun.objects.create(as_of=as_of, scope=scope, started_at=started)
    with transaction.atomic():
        params, book = CallbackParams(), _phone_book(policy_ids)
        undecided = undecided_findings(policy_ids=policy_ids)
        writer = _StatusWriter()
        followups = effects.Followups(params=params)
        for policy in facts(policy_ids, with_stored=True):
            evaluated = evaluate_one(policy, as_of=as_of, params=params, book=book,
                                     undecided=undecided)
            result.policies += 1
            if evaluated.row != policy.stored:
                writer.add_state(policy.id, evaluated.row)
                followups.state_changed(evaluated)
            for attempt_id, flag in new_flags(evaluated).items():
                if policy.attempt_flags.get(attempt_id) != flag:
                    writer.add_flag(attempt_id, flag)
            followups.seen(evaluated)
        result.changed, result.flags_changed = writer.flush()
        if policy_ids is None:  # states of policies voided since: derived, so dropped
            CallbackStatus.objects.filter(policy__voided_at__isnull=False).delete()
        counts = followups.apply(now=started, as_of=as_of)
        result.manual_opened, result.false_contact_cases = counts
        run.finished_at, run.policies, run.changed = timezone.now(), result.policies, result.changed
        run.data = {"flags_changed": result.flags_changed, "manual_opened": result.manual_opened,
                    "false_contact_cases": result.false_contact_cases}
        run.save()
        Event.objects.create(at=started, action="callbacks.evaluated", kind="evaluation",
                             key=str(run.pk), data={"as_of": as_of.isoformat(), **run.data,
                                                    "policies": result.policies,
                                                    "changed": result.changed})
    # Agents are told once the states are committed (at once when no outer transaction
    # is open): a rolled-back recording must not have told anyone.
    told: list[int] = []
    transaction.on_commit(lambda: told.append(effects.tell_agents()), robust=True)
    result.told = told[0] if told else 0
    return result


class _StatusWriter:
    """Changed states and flags collected in batches into staging tables, then written
    with one upsert and one update (COPY on PostgreSQL)."""

    def __init__(self):
        self.states: list[tuple] = []
        self.flags: list[tuple] = []
        self.n_states = self.n_flags = 0
        self.table = CallbackStatus._meta.db_table
        self.columns = ["policy_id"] + [CallbackStatus._meta.get_field(f).column
                                        for f in STATUS_FIELDS]
        with connection.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS pz_cb_state")
            cur.execute("DROP TABLE IF EXISTS pz_cb_flag")
            cur.execute(f"CREATE TEMPORARY TABLE pz_cb_state AS SELECT "
                        f"{', '.join(self.columns)} FROM {self.table} WHERE 1 = 0")
            cur.execute("CREATE TEMPORARY TABLE pz_cb_flag (id bigint, flag varchar(16))")

    def add_state(self, policy_id: int, row: tuple) -> None:
        self.states.append((policy_id, *row))
        if len(self.states) >= CHUNK:
            self._load("pz_cb_state", self.columns, self.states)
            self.n_states += len(self.states)
            self.states = []

    def add_flag(self, attempt_id: int, flag: str) -> None:
        self.flags.append((attempt_id, flag))
        if len(self.flags) >= CHUNK:
            self._load("pz_cb_flag", ["id", "flag"], self.flags)
            self.n_flags += len(self.flags)
            self.flags = []

    def _load(self, table: str, columns: list[str], rows: list[tuple]) -> None:
        with connection.cursor() as cur:
            if connection.vendor == "postgresql":
                with cur.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cur.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                                [_sqlite_row(r) for r in rows])

    def flush(self) -> tuple[int, int]:
        if self.states:
            self._load("pz_cb_state", self.columns, self.states)
            self.n_states += len(self.states)
        if self.flags:
            self._load("pz_cb_flag", ["id", "flag"], self.flags)
            self.n_flags += len(self.flags)
        cols = ", ".join(self.columns)
        sets = ", ".join(f"{c} = excluded.{c}" for c in self.columns[1:])
        attempts = CallbackAttempt._meta.db_table
        with connection.cursor() as cur:
            if self.n_states:
                cur.execute(f"INSERT INTO {self.table} ({cols}) SELECT {cols} FROM pz_cb_state "
                            f"WHERE true ON CONFLICT (policy_id) DO UPDATE SET {sets}")
            if self.n_flags:
                cur.execute(f"UPDATE {attempts} AS a SET flag = f.flag FROM pz_cb_flag f "
                            f"WHERE a.id = f.id")
            cur.execute("DROP TABLE pz_cb_state")
            cur.execute("DROP TABLE pz_cb_flag")
        return self.n_states, self.n_flags


def _sqlite_row(row: tuple) -> tuple:
    """SQLite keeps datetimes as UTC text, the way Django writes them."""
    return tuple(_sqlite_value(v) for v in row)


def _sqlite_value(value):
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    return value

