"""This area's /api/v1/ resources: `register(router)` adds its viewsets; `urlpatterns`
holds paths the router cannot express.

`receipts/`: one row per policy that owes a receipt (long-term, live, not cancelled in the
cooling-off period), by policy number, with its deadline, collection and state (rules §5)
as of now or `?as_of=DATE`. `receipts/{policy_no}/` answers for any live policy in scope
(`not_owed` for one that owes none). Read-only: receipts are registered on the clerk's
page or by the `receipts` feed. Every row comes from `restrict(request.user)`.
"""

import datetime as dt

from django.db.models import Q
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from pinzhi.api.views import Pagination
from pinzhi.core.money import yuan
from pinzhi.policies.models import Policy, PolicyStatus

from . import rules
from .models import policy_facts

urlpatterns = []

AS_OF = OpenApiParameter(
    "as_of", OpenApiTypes.DATE, OpenApiParameter.QUERY,
    description="The state at the end of this day (default: today, Asia/Shanghai).")
STATE = OpenApiParameter(
    "state", OpenApiTypes.STR, OpenApiParameter.QUERY, enum=list(rules.STATES[1:]),
    description="Only receipts in this state as of the day (list only).")


class ReceiptSerializer(serializers.Serializer):
    policy_no = serializers.CharField(read_only=True)
    agent_code = serializers.CharField(read_only=True)
    effective_on = serializers.DateField(read_only=True)
    deadline = serializers.DateField(read_only=True,
                                     help_text="effective date + 3 calendar months")
    signed_on = serializers.DateField(read_only=True, allow_null=True)
    collected_on = serializers.DateField(read_only=True, allow_null=True)
    as_of = serializers.DateField(read_only=True, help_text="the day the state is for")
    state = serializers.CharField(read_only=True, help_text="one of: " + ", ".join(
        rules.STATES))
    late = serializers.BooleanField(
        read_only=True, help_text="collected after the deadline, or not collected by it")
    deduction = serializers.DecimalField(
        max_digits=8, decimal_places=2, read_only=True,
        help_text="yuan deducted from the policy's commission (20.00 when collected late)")


def receipt_row(policy: Policy, day: dt.date) -> dict:
    receipt = getattr(policy, "receipt", None)
    if receipt is not None and receipt.voided_at is not None:
        receipt = None
    facts = policy_facts(policy)
    collected = receipt.facts() if receipt is not None else None
    state = rules.receipt_state(facts, collected, day)
    return {
        "policy_no": policy.policy_no, "agent_code": policy.agent.code,
        "effective_on": policy.effective_on, "deadline": rules.deadline(policy.effective_on),
        "signed_on": receipt.signed_on if receipt else None,
        "collected_on": receipt.collected_on if receipt else None, "as_of": day,
        "state": state, "late": state in (rules.COLLECTED_LATE, rules.OVERDUE),
        "deduction": yuan(rules.late_deduction_fen(facts, collected)
                          if state == rules.COLLECTED_LATE else 0),
    }


class ReceiptViewSet(viewsets.GenericViewSet):
    """Policy receipts in scope (rules §5)."""

    queryset = Policy.objects.none()
    serializer_class = ReceiptSerializer
    pagination_class = Pagination
    lookup_field = "policy_no"
    lookup_value_regex = r"[^/]+"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Policy.objects.none()
        return (Policy.objects.restrict(self.request.user).live()
                .select_related("product", "agent", "receipt").order_by("policy_no"))

    def _day(self) -> dt.date:
        raw = self.request.query_params.get("as_of", "").strip()
        if not raw:
            return timezone.localdate()
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise serializers.ValidationError({"as_of": "not a date YYYY-MM-DD"}) from None

    @extend_schema(tags=["receipts"], parameters=[AS_OF, STATE],
                   summary="Receipts owed by the policies in scope, with their state")
    def list(self, request):
        day = self._day()
        state = request.query_params.get("state", "").strip()
        if state and state not in rules.STATES[1:]:
            raise serializers.ValidationError({"state": "one of: " + ", ".join(
                rules.STATES[1:])})
        rows = (self.get_queryset().filter(product__long_term=True)
                .exclude(status=PolicyStatus.COOLING_OFF_CANCELLED))
        rows = _narrow(rows, state, day)
        page = self.paginate_queryset(rows)
        data = [receipt_row(p, day) for p in page]
        return self.get_paginated_response(ReceiptSerializer(data, many=True).data)

    @extend_schema(tags=["receipts"], parameters=[AS_OF], responses={
        200: ReceiptSerializer, 404: OpenApiResponse(description="no such policy in scope")},
        summary="One policy's receipt")
    def retrieve(self, request, policy_no=None):
        policy = self.get_object()
        return Response(ReceiptSerializer(receipt_row(policy, self._day())).data)


def _narrow(rows, state: str, day: dt.date):
    """The rows of one state, in SQL: the deadline has passed for effective dates before
    `effective_bound(day + 1)`; a collection counts when it is on or before the day."""
    if not state:
        return rows
    bound = rules.effective_bound(day + dt.timedelta(days=1))
    live = Q(receipt__isnull=False, receipt__voided_at__isnull=True)
    collected = live & Q(receipt__collected_on__lte=day)
    if state == rules.OUTSTANDING:
        return rows.exclude(collected).filter(effective_on__gte=bound)
    if state == rules.OVERDUE:
        return rows.exclude(collected).filter(effective_on__lt=bound)
    # Collected: on time or late is decided per row (the deadline is not a column).
    ids = [p.pk for p in rows.filter(collected) if receipt_row(p, day)["state"] == state]
    return rows.filter(pk__in=ids)


def register(router) -> None:
    router.register("receipts", ReceiptViewSet, basename="receipt")
