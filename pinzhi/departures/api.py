"""/api/v1/departures/: the departures in the user's scope, by agent code, with their two
tasks (state, deadline, n of m: derived by `rules`, never stored); POST records one, and
POST .../told/ records policyholders told. A refusal of a service is a 409 with its
reason, and nothing changed; outside the scope is a 404."""

from functools import partial

import django_filters as df
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from pinzhi.api.views import RestrictedViewSet, action_schema, documented
from pinzhi.org.models import Agent
from pinzhi.policies.models import Policy

from . import rules, services
from .models import Departure, How, Reason
from .tasks import tasks_of

urlpatterns = []


class DepartureFilter(df.FilterSet):
    agent = df.CharFilter(field_name="agent__code", help_text="agent code")
    servicing_agent = df.CharFilter(field_name="servicing_agent__code",
                                    help_text="servicing agent code")
    left_from = df.DateFilter(field_name="left_on", lookup_expr="gte")
    left_to = df.DateFilter(field_name="left_on", lookup_expr="lte")

    class Meta:
        model = Departure
        fields = []


class DepartureTaskSerializer(serializers.Serializer):
    due_on = serializers.DateField(help_text="the last day: left_on + the task's days")
    state = serializers.ChoiceField(choices=rules.STATES)
    done = serializers.IntegerField(help_text="items finished (policyholders told, "
                                              "documents returned)")
    total = serializers.IntegerField(help_text="items to finish")
    finished_on = serializers.DateField(allow_null=True,
                                        help_text="the day the last item was finished")


class DepartureSerializer(serializers.ModelSerializer):
    agent_code = serializers.CharField(source="agent.code", read_only=True)
    agent_name = serializers.CharField(source="agent.name", read_only=True)
    team_code = serializers.CharField(source="agent.team.code", read_only=True)
    servicing_agent_code = serializers.CharField(source="servicing_agent.code",
                                                 read_only=True)
    recorded_by = serializers.CharField(source="recorded_by.username", read_only=True,
                                        allow_null=True)
    policies_reassigned = serializers.SerializerMethodField()
    notify = serializers.SerializerMethodField(
        help_text="policyholders of long-term policies told")
    documents = serializers.SerializerMethodField(help_text="valuable documents returned")

    class Meta:
        model = Departure
        fields = ["agent_code", "agent_name", "team_code", "left_on", "reason",
                  "servicing_agent_code", "note", "recorded_by", "created_at",
                  "policies_reassigned", "notify", "documents", "voided_at", "void_reason"]

    def _tasks(self, departure):
        if not hasattr(departure, "_tasks"):
            departure._tasks = tasks_of(departure, timezone.localdate())
        return departure._tasks

    def get_policies_reassigned(self, departure) -> int:
        return departure.assignments.count()

    @extend_schema_field(DepartureTaskSerializer)
    def get_notify(self, departure):
        return DepartureTaskSerializer(self._tasks(departure).notify._asdict()).data

    @extend_schema_field(DepartureTaskSerializer)
    def get_documents(self, departure):
        return DepartureTaskSerializer(self._tasks(departure).documents._asdict()).data


def _agent(user, code: str, field: str):
    agent = Agent.objects.restrict(user).live().filter(code=code).first()
    if agent is None:
        raise serializers.ValidationError({field: "no such agent"})
    return agent


class DepartureRecordSerializer(serializers.Serializer):
    agent_code = serializers.CharField()
    left_on = serializers.DateField()
    reason = serializers.ChoiceField(choices=Reason.choices)
    servicing_agent_code = serializers.CharField()
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, data):
        user = self.context["request"].user
        return {**data, "agent": _agent(user, data["agent_code"], "agent_code"),
                "servicing_agent": _agent(user, data["servicing_agent_code"],
                                          "servicing_agent_code")}


class PolicyholdersToldSerializer(serializers.Serializer):
    told_on = serializers.DateField()
    how = serializers.ChoiceField(choices=How.choices)
    policies = serializers.ListField(
        child=serializers.CharField(), required=False, allow_null=True, default=None,
        help_text="policy numbers; absent: every policyholder not told yet")


_acts = partial(action_schema, answer=DepartureSerializer)


@documented("departures")
class DepartureViewSet(RestrictedViewSet):
    queryset = Departure.objects.none()
    serializer_class = DepartureSerializer
    filterset_class = DepartureFilter
    lookup_field = "agent__code"
    lookup_url_kwarg = "agent_code"
    related = ("agent__team", "servicing_agent", "recorded_by")

    def get_queryset(self):
        return super().get_queryset().order_by("left_on", "agent__code")

    @_acts("Record a departure: the agent terminated, his policies reassigned (201)",
           DepartureRecordSerializer, 201)
    def create(self, request):
        body = DepartureRecordSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            departure = services.agent_depart(
                agent=data["agent"], left_on=data["left_on"], reason=data["reason"],
                servicing_agent=data["servicing_agent"], note=data["note"], by=request.user)
        except services.DepartureRefused as refused:
            return Response({"detail": str(refused)}, status=status.HTTP_409_CONFLICT)
        return Response(DepartureSerializer(departure).data, status=status.HTTP_201_CREATED)

    @_acts("Policyholders told (the listed policies, or all remaining)",
           PolicyholdersToldSerializer)
    @action(detail=True, methods=["post"])
    def told(self, request, agent_code=None):
        departure = self.get_object()
        body = PolicyholdersToldSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        policies = None
        if data["policies"] is not None:
            found = {p.policy_no: p for p in Policy.objects.filter(
                policy_no__in=data["policies"])}
            missing = [no for no in data["policies"] if no not in found]
            if missing:
                raise serializers.ValidationError({"policies": f"no such policy {missing[0]}"})
            policies = list(found.values())
        try:
            services.policyholders_told(departure=departure, policies=policies,
                                        told_on=data["told_on"], how=data["how"],
                                        by=request.user)
        except services.DepartureRefused as refused:
            return Response({"detail": str(refused)}, status=status.HTTP_409_CONFLICT)
        departure.refresh_from_db()
        return Response(DepartureSerializer(departure).data)


def register(router) -> None:
    router.register("departures", DepartureViewSet, basename="departure")
