"""What follows from a callback's state, applied in bulk after an evaluation:

- the manual callback opened as a task with a due date (rules §4.1.4), closed by its verdict;
- the agent told of a failed round 1 (his 10 days) and of a failed round 2 (commission
  withheld) through the message centre and the gateway (rules §4.1.2, §8.2);
- a false-customer-information case for every applicant phone that is an agent's or a
  branch's (rules §4.6), confirmed by the rule.

Each is idempotent: tasks by policy, messages by key, cases by rule key.
"""

import datetime as dt

from django.conf import settings
from django.db import connection
from django.db.models import Exists, OuterRef
from django.utils import translation
from django.utils.translation import gettext as _

from pinzhi.core.evaluating import in_subtree
from pinzhi.core.masking import mask_phone
from pinzhi.notify.models import Message
from pinzhi.notify.services import messages_add, messages_deliver
from pinzhi.org.models import Agent
from pinzhi.policies.models import Policy

from . import rules
from .models import CallbackStatus, ManualCallback
from .params import CallbackParams
from .reading import subtree_policies

FALSE_INFO = "false_customer_info"


def false_info_key(policy_no: str, updated_at: dt.datetime | None = None) -> str:
    """The rule key of a false-contact case: one per number given (at signing, or at
    each change)."""
    if updated_at is None:
        return f"callbacks.false_phone:{policy_no}"
    stamp = updated_at.astimezone(rules.SHANGHAI)
    return f"callbacks.false_phone:{policy_no}:{stamp:%Y%m%dT%H%M%S}"


def apply(*, as_of: dt.datetime, now: dt.datetime, policy_ids,
          false_phones: list[tuple], unit_path: str = "") -> tuple[int, int]:
    """What follows from the stored states (of `policy_ids`, or all; of `unit_path`'s
    subtree): derived from the states, not from what changed in this run, so a run that
    died before this step is completed by the next one."""
    params = CallbackParams()
    opened = _open_tasks(params, policy_ids, unit_path)
    _close_and_reopen_tasks(as_of, unit_path)
    messages_add(_failure_messages(params, policy_ids, unit_path), now=now)
    return opened, record_false_contact_cases(false_phones)


def given_at_signing(phone: str) -> str:
    """A false-information case's evidence: the number masked, as whoever reads the case
    may not see it in full (the policy's page reveals it, logged, to those who may)."""
    return f"applicant phone {mask_phone(phone)} given at signing"


def false_phone_candidates(ev) -> list[tuple]:
    """(policy_id, agent_id, day, rule key, evidence) of each false number on file."""
    f, found = ev.facts, []
    if ev.initial_phone_false:
        found.append((f.id, f.agent_id, f.signed_on, false_info_key(f.policy_no),
                      given_at_signing(f.phone)))
    for at, number in ev.false_updates:
        found.append((f.id, f.agent_id, at.astimezone(rules.SHANGHAI).date(),
                      false_info_key(f.policy_no, at),
                      f"applicant phone changed to {mask_phone(number)}"))
    return found


def _states(policy_ids, unit_path: str, **filters):
    rows = in_subtree(CallbackStatus.objects.filter(**filters), "policy__agent__team__path",
                      unit_path)
    return rows if policy_ids is None else rows.filter(policy_id__in=policy_ids)


def _open_tasks(params: CallbackParams, policy_ids, unit_path: str) -> int:
    """A task for every manual callback that has none yet, due N days after it opened;
    one that opened and got its verdict between two runs gets its task closed."""
    rows = _states(policy_ids, unit_path, manual_opened_at__isnull=False,
                   policy__manual_callback__isnull=True).values_list(
        "policy_id", "manual_opened_at", "ended_at", "policy__printed_on",
        "policy__agent__team__path")
    tasks = [ManualCallback(policy_id=pid, opened_at=opened, closed_at=ended, due_on=(
        opened.astimezone(rules.SHANGHAI).date()
        + dt.timedelta(days=params.value("manual_due_days", printed_on, path))))
        for pid, opened, ended, printed_on, path in rows.iterator(chunk_size=2000)]
    ManualCallback.objects.bulk_create(tasks, batch_size=2000, ignore_conflicts=True)
    return len(tasks)


def _failure_messages(params: CallbackParams, policy_ids, unit_path: str) -> list[dict]:
    """The agent told of each failed round once (rules §4.1.2, §4.1.4): states whose
    failure has no message yet."""
    columns = ("policy_id", "policy__policy_no", "policy__agent_id", "round_1_failed_at",
               "round_2_failed_at", "policy__printed_on", "policy__agent__team__path")
    told_1 = Message.objects.filter(policy_id=OuterRef("policy_id"),
                                    kind="callback_round_1_failed",
                                    created_at__gte=OuterRef("round_1_failed_at"))
    told_2 = Message.objects.filter(policy_id=OuterRef("policy_id"),
                                    kind="callback_round_2_failed",
                                    created_at__gte=OuterRef("round_2_failed_at"))
    rows = []
    for row in _states(policy_ids, unit_path, status=rules.AGENT_WINDOW).exclude(
            Exists(told_1)).values_list(*columns).iterator(chunk_size=2000):
        agent_days = params.for_policy(row[5], row[6]).agent_days
        rows.append(_round_1_failed(row[0], row[1], row[2], row[3], agent_days))
    for row in _states(policy_ids, unit_path, status=rules.MANUAL,
                       round_2_failed_at__isnull=False).exclude(
            Exists(told_2)).values_list(*columns).iterator(chunk_size=2000):
        rows.append(_round_2_failed(row[0], row[1], row[2], row[4]))
    return rows


def _close_and_reopen_tasks(as_of: dt.datetime, unit_path: str) -> None:
    """Set-based, from the states just written: a task closes when its callback ended (a
    verdict, or an exemption approved meanwhile) and opens again when the verdict that
    closed it was voided (the tasks of `unit_path`'s subtree, '' all)."""
    tasks, states = ManualCallback._meta.db_table, CallbackStatus._meta.db_table
    ended = ", ".join(f"'{s}'" for s in sorted(rules.ENDED))
    within, params = "", []
    if unit_path:
        subtree, params = subtree_policies(unit_path)
        within = f" AND {tasks}.policy_id IN ({subtree})"
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {tasks} SET closed_at = COALESCE(s.ended_at, %s) FROM {states} s "
                    f"WHERE s.policy_id = {tasks}.policy_id AND {tasks}.closed_at IS NULL "
                    f"AND s.status IN ({ended}){within}",
                    [connection.ops.adapt_datetimefield_value(as_of), *params])
        cur.execute(f"UPDATE {tasks} SET closed_at = NULL WHERE closed_at IS NOT NULL AND "
                    f"policy_id IN (SELECT policy_id FROM {states} WHERE status = %s){within}",
                    [rules.MANUAL, *params])


def _round_1_failed(policy_id, policy_no, agent_id, failed_at, agent_days) -> dict:
    failed_on = failed_at.astimezone(rules.SHANGHAI).date()
    until = failed_on + dt.timedelta(days=agent_days)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Callback of policy %(policy)s failed") % {"policy": policy_no}
        body = _("The first callback round of policy %(policy)s failed on %(day)s. Please "
                 "confirm or update the applicant's phone by %(until)s 09:00; round 2 "
                 "opens then in any case.") % {"policy": policy_no, "day": failed_on,
                                               "until": until}
    stamp = f"{failed_at.astimezone(rules.SHANGHAI):%Y%m%dT%H%M%S}"
    return dict(key=f"callbacks.round_1_failed:{policy_no}:{stamp}", agent_id=agent_id,
                policy_id=policy_id, kind="callback_round_1_failed", subject=subject,
                body=body, url=f"/callbacks/mine/#{policy_no}")


def _round_2_failed(policy_id, policy_no, agent_id, failed_at) -> dict:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Callback of policy %(policy)s failed again") % {"policy": policy_no}
        body = _("The second callback round of policy %(policy)s failed: its commission is "
                 "withheld until the manual callback succeeds.") % {"policy": policy_no}
    stamp = f"{failed_at.astimezone(rules.SHANGHAI):%Y%m%dT%H%M%S}"
    return dict(key=f"callbacks.round_2_failed:{policy_no}:{stamp}", agent_id=agent_id,
                policy_id=policy_id, kind="callback_round_2_failed", subject=subject,
                body=body, url=f"/callbacks/mine/#{policy_no}")


def record_false_contact_cases(candidates: list[tuple]) -> int:
    """A confirmed case for every false number not yet cased (rules §4.6)."""
    from pinzhi.quality.models import Case
    from pinzhi.quality.services import case_record_by_rule

    keys = [c[3] for c in candidates]
    done = set(Case.objects.filter(rule_key__in=keys).values_list("rule_key", flat=True))
    todo = [c for c in candidates if c[3] not in done]
    if not todo:
        return 0
    agents = Agent.objects.select_related("team").in_bulk({c[1] for c in todo})
    policies = Policy.objects.in_bulk({c[0] for c in todo})
    for policy_id, agent_id, day, key, evidence in todo:
        case_record_by_rule(rule_key=key, agent=agents[agent_id], violation_code=FALSE_INFO,
                            occurred_on=day, policy=policies[policy_id], evidence=evidence)
    return len(todo)


def tell_agents(unit_path: str = "") -> int:
    """Hand the untold messages to the gateway: a unit's run tells its own agents only,
    so that two branches' runs at once never hand over the same message."""
    return messages_deliver(unit_path=unit_path)
