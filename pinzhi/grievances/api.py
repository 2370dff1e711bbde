"""/api/v1/grievances/: the grievances the user may see (the agent his own, handlers
their scope: `Grievance.objects.restrict`), by grievance_no, with their state and due day
(derived by `rules`, never stored); POST raises one, and `assign/`, `reply/` act on one.
A refusal of a service is a 409 with its reason, and nothing changed; a grievance the user
may not see is a 404."""

from functools import partial

import django_filters as df
from django.utils import timezone
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from pinzhi.accounts.models import User
from pinzhi.api.fields import OneOf
from pinzhi.api.views import RestrictedViewSet, action_schema, documented
from pinzhi.org.models import Agent

from . import rules, services
from .clock import clock_of
from .models import About, Channel, Grievance, Outcome

urlpatterns = []




class GrievanceFilter(df.FilterSet):
    agent = df.CharFilter(field_name="agent__code", help_text="agent code")
    received_from = df.DateFilter(field_name="received_on", lookup_expr="gte")
    received_to = df.DateFilter(field_name="received_on", lookup_expr="lte")
    waiting = df.BooleanFilter(field_name="replied_on", lookup_expr="isnull",
                               help_text="not replied to yet")

    class Meta:
        model = Grievance
        fields = []


class GrievanceSerializer(serializers.ModelSerializer):
    agent_code = serializers.CharField(source="agent.code", read_only=True)
    against_agent_code = serializers.CharField(source="against_agent.code", read_only=True,
                                               allow_null=True)
    handler = serializers.CharField(source="handler.username", read_only=True,
                                    allow_null=True)
    about = OneOf(About.values, read_only=True)
    channel = OneOf(Channel.values, read_only=True)
    outcome = OneOf(Outcome.values, read_only=True, help_text="empty until replied; "
                      "one of: " + ", ".join(Outcome.values))
    state = serializers.SerializerMethodField(help_text="one of: " + ", ".join(rules.STATES))
    due_on = serializers.SerializerMethodField(help_text="the reply's last day")

    class Meta:
        model = Grievance
        fields = ["grievance_no", "received_on", "agent_code", "about", "against_agent_code",
                  "channel", "summary", "handler", "state", "due_on", "replied_on", "reply",
                  "outcome", "voided_at", "void_reason"]

    def _clock(self, grievance):
        if not hasattr(grievance, "_clock"):
            grievance._clock = clock_of(grievance, timezone.localdate())
        return grievance._clock

    def get_state(self, grievance) -> str:
        return self._clock(grievance).state

    def get_due_on(self, grievance) -> str:
        return self._clock(grievance).due_on.isoformat()


def _agent(code: str, field: str, queryset):
    agent = queryset.filter(code=code).first()
    if agent is None:
        raise serializers.ValidationError({field: "no such agent"})
    return agent


class GrievanceRaiseSerializer(serializers.Serializer):
    grievance_no = serializers.CharField(required=False, allow_blank=True, default="")
    agent_code = serializers.CharField(required=False,
                                       help_text="empty: the user's own agent record")
    received_on = serializers.DateField(required=False, help_text="empty: today")
    about = OneOf(About.values)
    against_agent_code = serializers.CharField(required=False)
    channel = OneOf(Channel.values, default=Channel.APP)
    summary = serializers.CharField()

    def validate(self, data):
        user = self.context["request"].user
        if data.get("agent_code"):
            agent = _agent(data["agent_code"], "agent_code", Agent.objects.restrict(user))
        elif user.agent_id:
            agent = user.agent
        else:
            raise serializers.ValidationError({"agent_code": "required"})
        against = None
        if data.get("against_agent_code"):
            against = _agent(data["against_agent_code"], "against_agent_code",
                             Agent.objects.live())
        return {"grievance_no": data["grievance_no"], "agent": agent, "against_agent": against,
                "received_on": data.get("received_on"), "about": data["about"],
                "channel": data["channel"], "summary": data["summary"]}


class GrievanceAssignSerializer(serializers.Serializer):
    handler = serializers.SlugRelatedField(slug_field="username",
                                           queryset=User.objects.filter(is_active=True))


class GrievanceReplySerializer(serializers.Serializer):
    replied_on = serializers.DateField()
    outcome = OneOf(Outcome.values)
    reply = serializers.CharField()


_acts = partial(action_schema, answer=GrievanceSerializer)


@documented("grievances")
class GrievanceViewSet(RestrictedViewSet):
    queryset = Grievance.objects.none()
    serializer_class = GrievanceSerializer
    filterset_class = GrievanceFilter
    lookup_field = "grievance_no"
    related = ("agent__team", "against_agent", "handler")

    def get_queryset(self):
        return super().get_queryset().order_by("received_on", "grievance_no")

    @_acts("Raise a grievance: an agent his own, a handler one received on paper (201)",
           GrievanceRaiseSerializer, 201)
    def create(self, request):
        body = GrievanceRaiseSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        return self._do(status.HTTP_201_CREATED, services.grievance_raise,
                        **body.validated_data)

    def _act(self, request, body_class, run):
        grievance = self.get_object()
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        return self._do(status.HTTP_200_OK, run, grievance=grievance, **body.validated_data)

    def _do(self, code, run, **kwargs):
        try:
            grievance = run(by=self.request.user, **kwargs)
        except services.GrievanceRefused as refused:
            return Response({"detail": str(refused)}, status=status.HTTP_409_CONFLICT)
        grievance.refresh_from_db()
        return Response(GrievanceSerializer(grievance).data, status=code)

    @_acts("Who handles it (no stake in it)", GrievanceAssignSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, grievance_no=None):
        return self._act(request, GrievanceAssignSerializer, services.grievance_assign)

    @_acts("Reply to it (the agent is told)", GrievanceReplySerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request, grievance_no=None):
        return self._act(request, GrievanceReplySerializer, services.grievance_reply)


def register(router) -> None:
    """Add this area's resources to the API router."""
    router.register("grievances", GrievanceViewSet, basename="grievance")
