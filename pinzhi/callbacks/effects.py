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
from django.utils import translation
from django.utils.translation import gettext as _

from pinzhi.notify.services import messages_add, messages_deliver
from pinzhi.org.models import Agent
from pinzhi.policies.models import Policy

from . import rules
from .models import CallbackStatus, ManualCallback
from .params import CallbackParams

FALSE_INFO = "false_customer_info"


def false_info_key(policy_no: str, updated_at: dt.datetime | None = None) -> str:
    """The rule key of a false-contact case: one per number given (at signing, or at
    each change)."""
    if updated_at is None:
        return f"callbacks.false_phone:{policy_no}"
    stamp = updated_at.astimezone(rules.SHANGHAI)
    return f"callbacks.false_phone:{policy_no}:{stamp:%Y%m%dT%H%M%S}"


class Followups:
    def __init__(self, *, params: CallbackParams):
        self.params = params
        self.manual: list[ManualCallback] = []
        self.messages: list[dict] = []
        self.false_phones: list[tuple] = []  # (policy_id, agent_id, day, rule_key, evidence)

    def state_changed(self, ev) -> None:
        state, f = ev.state, ev.facts
        if state.status == rules.MANUAL:
            due = (state.manual_opened_at.astimezone(rules.SHANGHAI).date()
                   + dt.timedelta(days=self.params.value("manual_due_days", f.printed_on,
                                                         f.unit_path)))
            self.manual.append(ManualCallback(policy_id=f.id, opened_at=state.manual_opened_at,
                                              due_on=due))
            if state.round_2_failed_at is not None:
                self.messages.append(_round_2_failed(f, state))
        elif state.status == rules.AGENT_WINDOW:
            self.messages.append(_round_1_failed(f, state, ev.params))


    def seen(self, ev) -> None:
        f = ev.facts
        if ev.initial_phone_false:
            self.false_phones.append((f.id, f.agent_id, f.signed_on, false_info_key(f.policy_no),
                                      f"applicant phone {f.phone} given at signing"))
        for at, number in ev.false_updates:
            self.false_phones.append((f.id, f.agent_id, at.astimezone(rules.SHANGHAI).date(),
                                      false_info_key(f.policy_no, at),
                                      f"applicant phone changed to {number}"))

    def apply(self, *, now: dt.datetime, as_of: dt.datetime) -> tuple[int, int]:
        before = ManualCallback.objects.count()
        ManualCallback.objects.bulk_create(self.manual, batch_size=2000, ignore_conflicts=True)
        opened = ManualCallback.objects.count() - before
        _close_and_reopen_tasks(as_of)
        messages_add(self.messages, now=now)
        return opened, record_false_contact_cases(self.false_phones)


def _close_and_reopen_tasks(as_of: dt.datetime) -> None:
    """Set-based, from the states just written: a task closes when its callback ended (a
    verdict, or an exemption approved meanwhile) and opens again when the verdict that
    closed it was voided."""
    tasks, states = ManualCallback._meta.db_table, CallbackStatus._meta.db_table
    ended = ", ".join(f"'{s}'" for s in sorted(rules.ENDED))
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {tasks} SET closed_at = COALESCE(s.ended_at, %s) FROM {states} s "
                    f"WHERE s.policy_id = {tasks}.policy_id AND {tasks}.closed_at IS NULL "
                    f"AND s.status IN ({ended})", [connection.ops.adapt_datetimefield_value(as_of)])
        cur.execute(f"UPDATE {tasks} SET closed_at = NULL WHERE closed_at IS NOT NULL AND "
                    f"policy_id IN (SELECT policy_id FROM {states} WHERE status = %s)",
                    [rules.MANUAL])


def _round_1_failed(f, state, params) -> dict:
    failed_on = state.round_1_failed_at.astimezone(rules.SHANGHAI).date()
    until = failed_on + dt.timedelta(days=params.agent_days)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Callback of policy %(policy)s failed") % {"policy": f.policy_no}
        body = _("The first callback round of policy %(policy)s failed on %(day)s. Please "
                 "confirm or update the applicant's phone by %(until)s 09:00; round 2 "
                 "opens then in any case.") % {"policy": f.policy_no, "day": failed_on,
                                               "until": until}
    stamp = f"{state.round_1_failed_at.astimezone(rules.SHANGHAI):%Y%m%dT%H%M%S}"
    return dict(key=f"callbacks.round_1_failed:{f.policy_no}:{stamp}", agent_id=f.agent_id,
                policy_id=f.id, kind="callback_round_1_failed", subject=subject, body=body,
                url=f"/callbacks/mine/#{f.policy_no}")


def _round_2_failed(f, state) -> dict:
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Callback of policy %(policy)s failed again") % {"policy": f.policy_no}
        body = _("The second callback round of policy %(policy)s failed: its commission is "
                 "withheld until the manual callback succeeds.") % {"policy": f.policy_no}
    stamp = f"{state.round_2_failed_at.astimezone(rules.SHANGHAI):%Y%m%dT%H%M%S}"
    return dict(key=f"callbacks.round_2_failed:{f.policy_no}:{stamp}", agent_id=f.agent_id,
                policy_id=f.id, kind="callback_round_2_failed", subject=subject, body=body,
                url=f"/callbacks/mine/#{f.policy_no}")


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


def tell_agents() -> int:
    return messages_deliver()
