"""/api/v1/complaints/: the complaints in the user's scope, by complaint_no, with their
clock (state, deadline, overdue: derived by `rules`, never stored); POST receives one,
and each action of the page is a POST on the complaint. A refusal of a service is a 409
with its reason, and nothing changed; outside the scope is a 404."""

from functools import partial

import django_filters as df
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from pinzhi.accounts.models import User
from pinzhi.api.views import RestrictedViewSet, action_schema, documented
from pinzhi.org.models import Agent
from pinzhi.policies.models import Policy

from . import rules, services
from .clock import clock_of
from .models import Channel, Complaint

urlpatterns = []


class ComplaintFilter(df.FilterSet):
    agent = df.CharFilter(field_name="agent__code", help_text="agent code")
    policy = df.CharFilter(field_name="policy__policy_no", help_text="policy number")
    received_from = df.DateFilter(field_name="received_on", lookup_expr="gte")
    received_to = df.DateFilter(field_name="received_on", lookup_expr="lte")

    class Meta:
        model = Complaint
        fields = []


class ComplaintSerializer(serializers.ModelSerializer):
    agent_code = serializers.CharField(source="agent.code", read_only=True)
    policy_no = serializers.CharField(source="policy.policy_no", read_only=True,
                                      allow_null=True)
    handler = serializers.CharField(source="handler.username", read_only=True,
                                    allow_null=True)
    case_no = serializers.CharField(source="case.case_no", read_only=True, allow_null=True)
    state = serializers.SerializerMethodField(help_text="one of: " + ", ".join(rules.STATES))
    due_on = serializers.SerializerMethodField(
        help_text="the deadline it runs against: the decision's or the review's")
    overdue = serializers.SerializerMethodField()
    extensions = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = ["complaint_no", "received_on", "channel", "agent_code", "policy_no",
                  "complainant", "summary", "handler", "state", "due_on", "overdue",
                  "extensions", "decided_on", "decision", "upheld", "case_no",
                  "review_requested_on", "review_decided_on", "review_outcome",
                  "voided_at", "void_reason"]

    def _clock(self, complaint):
        from django.utils import timezone

        if not hasattr(complaint, "_clock"):
            complaint._clock = clock_of(complaint, timezone.localdate())
        return complaint._clock

    def get_state(self, complaint) -> str:
        return self._clock(complaint).state

    def get_due_on(self, complaint) -> str | None:
        due = self._clock(complaint).due_on
        return due.isoformat() if due else None

    def get_overdue(self, complaint) -> bool:
        return self._clock(complaint).overdue

    def get_extensions(self, complaint) -> int:
        return self._clock(complaint).extensions


class ReceiveSerializer(serializers.Serializer):
    complaint_no = serializers.CharField(required=False, allow_blank=True, default="")
    received_on = serializers.DateField()
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.PHONE)
    agent_code = serializers.CharField(required=False)
    policy_no = serializers.CharField(required=False)
    complainant = serializers.CharField(max_length=60)
    summary = serializers.CharField()

    def validate(self, data):
        user = self.context["request"].user
        policy = agent = None
        if data.get("policy_no"):
            policy = Policy.objects.restrict(user).filter(policy_no=data["policy_no"]).first()
            if policy is None:
                raise serializers.ValidationError({"policy_no": "no such policy"})
            agent = policy.agent
        if data.get("agent_code"):
            agent = Agent.objects.restrict(user).filter(code=data["agent_code"]).first()
            if agent is None:
                raise serializers.ValidationError({"agent_code": "no such agent"})
        if agent is None:
            raise serializers.ValidationError({"agent_code": "give the policy or the agent"})
        return {**data, "policy": policy, "agent": agent}


class UserField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="username", queryset=User.objects.filter(is_active=True),
                         **kwargs)


class AssignSerializer(serializers.Serializer):
    handler = UserField()


class ExtendSerializer(serializers.Serializer):
    on = serializers.DateField()
    customer_told_on = serializers.DateField()
    reason = serializers.CharField()
    approved_by = UserField(required=False, allow_null=True, default=None)


class DecideSerializer(serializers.Serializer):
    on = serializers.DateField()
    decision = serializers.CharField()
    upheld = serializers.BooleanField()
    violation_code = serializers.CharField(required=False, allow_blank=True, default="")


class OnSerializer(serializers.Serializer):
    on = serializers.DateField()


class ReviewSerializer(serializers.Serializer):
    on = serializers.DateField()
    outcome = serializers.CharField()


_acts = partial(action_schema, answer=ComplaintSerializer)


@documented("complaints")
class ComplaintViewSet(RestrictedViewSet):
    queryset = Complaint.objects.none()
    serializer_class = ComplaintSerializer
    filterset_class = ComplaintFilter
    lookup_field = "complaint_no"
    related = ("agent__team", "policy", "handler", "case")

    def get_queryset(self):
        return super().get_queryset().order_by("received_on", "complaint_no")

    @_acts("Receive a complaint (201)", ReceiveSerializer, 201)
    def create(self, request):
        body = ReceiveSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = body.validated_data
        return self._do(status.HTTP_201_CREATED, services.complaint_receive,
                        complaint_no=data["complaint_no"], received_on=data["received_on"],
                        channel=data["channel"], agent=data["agent"], policy=data["policy"],
                        complainant=data["complainant"], summary=data["summary"])

    def _act(self, request, body_class, run):
        complaint = self.get_object()
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        return self._do(status.HTTP_200_OK, run, complaint=complaint, **body.validated_data)

    def _do(self, code, run, **kwargs):
        try:
            complaint = run(by=self.request.user, **kwargs)
        except services.ComplaintRefused as refused:
            return Response({"detail": str(refused)}, status=status.HTTP_409_CONFLICT)
        if not isinstance(complaint, Complaint):  # an extension
            complaint = complaint.complaint
        complaint.refresh_from_db()
        return Response(ComplaintSerializer(complaint).data, status=code)

    @_acts("Who handles it (no stake in it)", AssignSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, complaint_no=None):
        return self._act(request, AssignSerializer, services.complaint_assign)

    @_acts("Extend the decision's deadline (the customer told)", ExtendSerializer)
    @action(detail=True, methods=["post"])
    def extend(self, request, complaint_no=None):
        return self._act(request, ExtendSerializer, services.complaint_extend)

    @_acts("Decide it; a violation found drafts a case", DecideSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, complaint_no=None):
        return self._act(request, DecideSerializer, services.complaint_decide)

    @_acts("The customer asks for a review", OnSerializer)
    @action(detail=True, methods=["post"], url_path="review-request")
    def review_request(self, request, complaint_no=None):
        return self._act(request, OnSerializer, services.complaint_review_request)

    @_acts("Decide the review (a senior who did not decide it)", ReviewSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, complaint_no=None):
        return self._act(request, ReviewSerializer, services.complaint_review_decide)


def register(router) -> None:
    router.register("complaints", ComplaintViewSet, basename="complaint")



