"""Cases as voidable facts, and what follows a policy's voiding."""

from django.utils import timezone

from pinzhi.core.models import Event
from pinzhi.core.voiding import VoidKind, add_follower, register_void_kind

from .models import Case, CaseSource

register_void_kind(VoidKind("case", Case, "case_no", "cases"))


def void_rule_cases_of_policy(policy, *, by, now) -> int:
    """A voided policy takes with it the cases its rules derived from it (a receipt never
    returned, a false phone number); cases a person decided stay for him to review."""
    cases = Case.objects.live().filter(policy=policy, source=CaseSource.RULE)
    numbers = list(cases.values_list("case_no", flat=True))
    cases.update(voided_at=now, voided_by=by, void_reason=f"policy {policy.policy_no} voided",
                 updated_at=timezone.now())
    Event.objects.bulk_create(
        Event(at=now, actor=by, action="case.voided", kind="case", key=no,
              data={"reason": "policy voided", "policy": policy.policy_no}) for no in numbers)
    return len(numbers)


add_follower("policy", void_rule_cases_of_policy)
