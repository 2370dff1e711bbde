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
import hashlib
import multiprocessing
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import groupby

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from pinzhi.core.evaluating import in_subtree
from pinzhi.core.models import Event
from pinzhi.core.sealing import seal, unseal
from pinzhi.policies.models import Policy

from . import candidates, reading, rules
from .models import (
    CallbackStatus,
    ContactUpdate,
    EvaluationRun,
    RequestKind,
)
from .params import CallbackParams
from .phones import PhoneBook, load_phone_book
from .writing import STATUS_FIELDS, StatusWriter

# Beyond this span of policy ids a run over everything is split among processes.
PARALLEL_FROM = 50_000


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
    receipt_signed_on: dt.date | None = None  # the cooling-off period starts there
    attempts: list[rules.Attempt] = field(default_factory=list)
    attempt_flags: dict[int, str] = field(default_factory=dict)  # stored flag by id
    updates: list[tuple[dt.datetime, str, dt.datetime]] = field(default_factory=list)
    early_from: dt.date | None = None
    exempted_on: dt.date | None = None
    stored: int | None = None  # the digest of the stored CallbackStatus row


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


def facts(policy_ids=None, *, with_stored: bool = False, with_recorded: bool = False,
          id_range: tuple[int, int] | None = None,
          candidates: bool = False, table: str | None = None,
          unit_path: str = "") -> Iterator[PolicyFacts]:
    """Every live policy (or those of `policy_ids`, of an id range, the candidates of an
    incremental run, the ids of a temporary `table`; of `unit_path`'s subtree) with its
    callback facts, in id order; `with_recorded`: with when each fact was recorded (for
    a state as known at a moment)."""
    if unit_path and table is None and policy_ids is None:
        # The subtree's ids once into a table of this session: five streams read them
        table, unit_path = reading.subtree_table(unit_path), ""
    scope = reading.Scope(policy_ids, id_range, candidates, table, unit_path)
    streams = {
        "attempts": groupby(reading.attempts(scope, with_recorded=with_recorded), key=_first),
        "updates": groupby(reading.updates(scope, with_recorded=with_recorded), key=_first),
        "requests": groupby(reading.requests(scope), key=_first),
    }
    if with_stored:
        streams["stored"] = groupby(reading.stored(scope), key=_first)
    heads = {name: next(stream, None) for name, stream in streams.items()}
    for row in reading.policies(scope):
        policy = PolicyFacts(row[0], row[1], row[2], reading.day(row[3]), reading.day(row[4]),
                             bool(row[5]), unseal(row[6], "phone"),
                             unseal(row[7], "id_number"), row[8], row[9],
                             reading.day(row[10]))
        for name, stream in streams.items():
            while heads[name] is not None and heads[name][0] < policy.id:
                heads[name] = next(stream, None)  # facts of a voided policy: skipped
            if heads[name] is not None and heads[name][0] == policy.id:
                _attach(policy, name, heads[name][1])
                heads[name] = next(stream, None)
        yield policy


def _first(row: tuple):
    return row[0]


def _attach(policy: PolicyFacts, name: str, rows) -> None:
    moment = reading.moment
    if name == "attempts":
        for _pid, id_, round_, at, outcome, findings, changed, recorded, appt, flag in rows:
            policy.attempts.append(rules.Attempt(
                moment(at), round_, outcome,
                tuple(findings.split(";")) if findings else (), bool(changed),
                moment(recorded), moment(appt), id_))
            policy.attempt_flags[id_] = flag
    elif name == "updates":
        policy.updates = [(moment(at), unseal(phone, "phone"), moment(recorded))
                          for _pid, at, phone, recorded in rows]
    elif name == "requests":
        for _pid, kind, approved_days, earliest_days in rows:
            approved_on, earliest_on = reading.day(approved_days), reading.day(earliest_days)
            if kind == RequestKind.EXEMPTION:
                policy.exempted_on = approved_on
            else:  # round 1 opens on the day asked for, or on the approval if later
                policy.early_from = max(earliest_on or approved_on, approved_on)
    else:
        policy.stored = next(iter(rows))[1]


_PHONE = STATUS_FIELDS.index("phone")


def sealed_row(row: tuple) -> tuple:
    """A state row as stored: the phone sealed (core/sealing.py). The digest is taken of
    this form too: a digest of the plain number could be searched for it."""
    return (*row[:_PHONE], seal(row[_PHONE], "phone"), *row[_PHONE + 1:])


def digest(row: tuple) -> int:
    """A stable 64-bit fingerprint of a state row: a run compares it with the stored one
    instead of reading back every column of a million rows."""
    text = "|".join(str(round(v.timestamp() * 1_000_000)) if isinstance(v, dt.datetime)
                    else str(v) for v in row)
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big",
                          signed=True)


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
    # A finding of the success (rules §4.4) whose case is not decided; a case of a finding
    # recorded after `as_of` holds nothing yet.
    finding_open = bool(state.findings) and facts.id in undecided
    # The cooling-off period runs from the customer's signature on the receipt, or from
    # printing while no signed receipt is known (rules §4.8).
    deadline = (rules.cooling_off_ends_at(facts.receipt_signed_on or facts.printed_on,
                                          facts.cooling_off_days)
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


def undecided_findings(*, at: dt.datetime | None = None, known_at: dt.datetime | None = None,
                       policy_ids=None) -> set[int]:
    """Policies with a callback finding whose case is not decided (rules §4.4): now, a
    draft (an appeal does not withhold again); at a past moment `at`, not decided
    before it; as known at `known_at`, recorded by then and not decided by then."""
    from pinzhi.quality.models import Case, CaseSource, CaseStatus

    cases = _scoped(Case.objects.filter(source=CaseSource.CALLBACK, voided_at__isnull=True,
                                        policy__isnull=False), "policy_id", policy_ids)
    if at is None and known_at is None:
        return set(cases.filter(status=CaseStatus.DRAFT).values_list("policy_id", flat=True))
    if known_at is not None:
        cases = cases.filter(created_at__lte=known_at)
    until = min(m for m in (at, known_at) if m is not None)
    cases = cases.filter(Q(decided_at__isnull=True) | Q(decided_at__gte=until))
    return set(cases.values_list("policy_id", flat=True))


def states(*, as_of: dt.datetime, known_at: dt.datetime | None = None,
           policy_ids=None, id_range: tuple[int, int] | None = None,
           table: str | None = None) -> Iterator[Evaluated]:
    """Every policy's callback as it stood at `as_of` (as known at `known_at`), of
    `policy_ids`, an id range or the ids of a temporary table, or all."""
    params, book = CallbackParams(), _phone_book(policy_ids)
    undecided = undecided_findings(at=as_of, known_at=known_at, policy_ids=policy_ids)
    for policy in facts(policy_ids, with_recorded=known_at is not None, id_range=id_range,
                        table=table):
        yield evaluate_one(policy, as_of=as_of, params=params, book=book,
                           undecided=undecided, known_at=known_at)


# -- writing --------------------------------------------------------------------------


@dataclass
class RunResult:
    as_of: dt.datetime
    incremental: bool = False  # only the policies whose state could have changed
    policies: int = 0
    changed: int = 0
    flags_changed: int = 0
    manual_opened: int = 0
    told: int = 0
    false_contact_cases: int = 0

    def summary(self) -> str:
        which = "policies that may have changed" if self.incremental else "policies"
        return (f"evaluated {self.policies} {which} as of {self.as_of.isoformat()}: "
                f"{self.changed} states changed, {self.flags_changed} attempt flags changed, "
                f"{self.manual_opened} manual callbacks opened, {self.told} messages told, "
                f"{self.false_contact_cases} false-contact cases")


def evaluate(*, as_of: dt.datetime, policy_ids=None, scope: str = "all",
             workers: int | None = None, full: bool = False,
             unit_path: str = "") -> RunResult:
    """Move every policy's callback (or those of `policy_ids`; of `unit_path`'s subtree)
    to `as_of`.

    A run over everything after a finished one recomputes only the policies whose state
    can have changed (candidates.py), unless `full`. A full run on PostgreSQL, outside
    any transaction, is split by policy id among worker processes (each commits its own
    slice). What follows from the states (tasks, messages, cases) is derived from the
    stored states, so a run that died half-way is completed by the next one."""
    from . import effects

    started = timezone.now()
    last = (None if full or policy_ids is not None
            else candidates.since_last_run(as_of, unit_path))
    if policy_ids is None:  # whoever asked (a schedule, a large file): a run over all
        scope = candidates.run_scope("all" if last is None else "incremental", unit_path)
    run = EvaluationRun.objects.create(as_of=as_of, scope=scope, started_at=started)
    slices = id_slices(policy_ids, workers)
    if slices:
        parts = _in_workers(as_of, slices, last, unit_path)
    else:
        with transaction.atomic():
            parts = [evaluate_part(as_of=as_of, policy_ids=policy_ids, last=last,
                                   unit_path=unit_path)]
    result = RunResult(as_of=as_of, incremental=last is not None,
                       policies=sum(p.policies for p in parts),
                       changed=sum(p.changed for p in parts),
                       flags_changed=sum(p.flags_changed for p in parts))
    with transaction.atomic():
        if policy_ids is None:  # states of policies voided since: derived, so dropped
            in_subtree(CallbackStatus.objects.filter(policy__voided_at__isnull=False),
                       "policy__agent__team__path", unit_path).delete()
        false_phones = [c for p in parts for c in p.false_phones]
        result.manual_opened, result.false_contact_cases = effects.apply(
            as_of=as_of, now=started, policy_ids=policy_ids, false_phones=false_phones,
            unit_path=unit_path)
        _finish(run, result, started)
    # Agents are told once the states are committed (at once when no outer transaction
    # is open): a rolled-back recording must not have told anyone.
    told: list[int] = []
    transaction.on_commit(lambda: told.append(effects.tell_agents(unit_path)), robust=True)
    result.told = told[0] if told else 0
    return result


def _finish(run: EvaluationRun, result: RunResult, started: dt.datetime) -> None:
    run.finished_at, run.policies, run.changed = timezone.now(), result.policies, result.changed
    run.data = {"flags_changed": result.flags_changed, "manual_opened": result.manual_opened,
                "false_contact_cases": result.false_contact_cases}
    run.save()
    Event.objects.create(at=started, action="callbacks.evaluated", kind="evaluation",
                         key=str(run.pk), data={"as_of": run.as_of.isoformat(), **run.data,
                                                "policies": result.policies,
                                                "changed": result.changed})


@dataclass
class PartResult:
    policies: int = 0
    changed: int = 0
    flags_changed: int = 0
    false_phones: list[tuple] = field(default_factory=list)


def evaluate_part(*, as_of: dt.datetime, policy_ids=None,
                  id_range: tuple[int, int] | None = None,
                  last: EvaluationRun | None = None, unit_path: str = "") -> PartResult:
    """Recompute the policies of `policy_ids` (or of an id range, or all, or since the
    `last` run only those that may have changed; of `unit_path`'s subtree) and write
    what changed: the states with one upsert, the attempts' flags with one update."""
    from .effects import false_phone_candidates

    if last is not None:
        candidates.create_table(last=last, as_of=as_of, id_range=id_range,
                                unit_path=unit_path)
    params, book = CallbackParams(), _phone_book(policy_ids)
    undecided = undecided_findings(policy_ids=policy_ids)
    writer, part = StatusWriter(), PartResult()
    for policy in facts(policy_ids, with_stored=True, id_range=id_range,
                        candidates=last is not None, unit_path=unit_path):
        evaluated = evaluate_one(policy, as_of=as_of, params=params, book=book,
                                 undecided=undecided)
        part.policies += 1
        stored_row = sealed_row(evaluated.row)
        fingerprint = digest(stored_row)
        if fingerprint != policy.stored:
            writer.add_state(policy.id, (*stored_row, fingerprint))
        for attempt_id, flag in new_flags(evaluated).items():
            if policy.attempt_flags.get(attempt_id) != flag:
                writer.add_flag(attempt_id, flag)
        if evaluated.initial_phone_false or evaluated.false_updates:
            part.false_phones += false_phone_candidates(evaluated)
    part.changed, part.flags_changed = writer.flush()
    return part


def id_slices(policy_ids, workers: int | None) -> list[tuple[int, int]]:
    """Id ranges for worker processes, or none: one process for a few policies, on
    SQLite, inside a transaction (a test's, a page's), or with one worker configured."""
    workers = workers or getattr(settings, "PINZHI_EVALUATE_WORKERS", None) \
        or min(4, os.cpu_count() or 1)
    if (policy_ids is not None or workers < 2 or connection.vendor != "postgresql"
            or connection.in_atomic_block):
        return []
    low, high = Policy.objects.aggregate(low=Min("id"), high=Max("id")).values()
    if low is None or high - low < PARALLEL_FROM:
        return []
    step = (high - low) // workers + 1
    return [(low + i * step, low + (i + 1) * step) for i in range(workers)]


def _in_workers(as_of: dt.datetime, slices: list[tuple[int, int]],
                last: EvaluationRun | None, unit_path: str) -> list[PartResult]:
    connections.close_all()  # a forked child must not share the parent's connection
    context = multiprocessing.get_context("fork")
    with context.Pool(len(slices)) as pool:
        return pool.starmap(_part_in_worker,
                            [(as_of, s, last, unit_path) for s in slices])


def _part_in_worker(as_of: dt.datetime, id_range: tuple[int, int],
                    last: EvaluationRun | None, unit_path: str) -> PartResult:
    try:
        with transaction.atomic():
            return evaluate_part(as_of=as_of, id_range=id_range, last=last,
                                 unit_path=unit_path)
    finally:
        connections.close_all()
