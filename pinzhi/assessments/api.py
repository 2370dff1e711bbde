"""/api/v1/ranks/ (the catalogue, read) and /api/v1/rank-decisions/ (issue 8): the
decisions in the user's scope, filtered by `period` and `agent`; POST decides one agent's
half-year (Role.ASSESS). A refusal of the service is a 409 with its reason and nothing
changed; an agent outside the scope is a 400 naming the field, as an unknown one."""

import django_filters as df
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from pinzhi.api.serializers import RefusedSerializer
from pinzhi.api.views import RestrictedViewSet
from pinzhi.org.models import Agent

from . import services
from .models import Outcome, Rank, RankDecision

urlpatterns = []


class RankSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rank
        fields = ["code", "name", "order", "manages_team"]


class RankDecisionFilter(df.FilterSet):
    period = df.CharFilter(field_name="period", lookup_expr="iexact", help_text="YYYYH1")
    agent = df.CharFilter(field_name="agent__code", help_text="agent code")

    class Meta:
        model = RankDecision
        fields = []


class RankDecisionSerializer(serializers.ModelSerializer):
    agent_code = serializers.CharField(source="agent.code", read_only=True)
    decided_by = serializers.CharField(source="by.username", read_only=True, allow_null=True)

    class Meta:
        model = RankDecision
        fields = ["agent_code", "period", "from_rank", "to_rank", "outcome", "recommended",
                  "standing", "promotion_eligible", "maintenance_passed", "decided_on",
                  "decided_by", "note"]


class RankDecideSerializer(serializers.Serializer):
    agent_code = serializers.CharField()
    period = serializers.CharField(help_text="YYYYH1 or YYYYH2, ended")
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def validate(self, data):
        user = self.context["request"].user
        agent = Agent.objects.restrict(user).filter(code=data["agent_code"]).first()
        if agent is None:
            raise serializers.ValidationError({"agent_code": "no such agent"})
        return {**data, "agent": agent}


@extend_schema(tags=["assessments"])
class RankViewSet(RestrictedViewSet):
    queryset = Rank.objects.none()
    serializer_class = RankSerializer
    lookup_field = "code"

    def get_queryset(self):  # the catalogue: not voidable, read by every signed-in user
        if getattr(self, "swagger_fake_view", False):
            return Rank.objects.none()
        return Rank.objects.restrict(self.request.user).order_by("order")


@extend_schema(tags=["assessments"])
class RankDecisionViewSet(RestrictedViewSet):
    queryset = RankDecision.objects.none()
    serializer_class = RankDecisionSerializer
    filterset_class = RankDecisionFilter
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self):  # decisions are refused, never voided: no include_voided
        if getattr(self, "swagger_fake_view", False):
            return RankDecision.objects.none()
        return (RankDecision.objects.restrict(self.request.user)
                .select_related("agent", "by").order_by("-period", "agent__code"))

    @extend_schema(summary="Decide an agent's rank for an ended half-year (201)",
                   request=RankDecideSerializer, responses={
                       201: RankDecisionSerializer,
                       400: OpenApiResponse(description="malformed body, unknown agent"),
                       409: OpenApiResponse(RefusedSerializer,
                                            description="refused, nothing changed")})
    def create(self, request):
        body = RankDecideSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        data = body.validated_data
        try:
            decision = services.rank_decide(agent=data["agent"], period=data["period"],
                                            outcome=data["outcome"], note=data["note"],
                                            by=request.user)
        except services.AssessmentRefused as refused:
            return Response({"detail": str(refused)}, status=status.HTTP_409_CONFLICT)
        return Response(RankDecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("ranks", RankViewSet, basename="rank")
    router.register("rank-decisions", RankDecisionViewSet, basename="rank-decision")
