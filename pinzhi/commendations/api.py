"""/api/v1/commendations/: the commendations in the user's scope (an agent his own), by
commendation_no; POST records one. A refusal of the service is a 409 with its reason, and
nothing changed; outside the scope is a 404."""

import django_filters as df
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from pinzhi.api.fields import OneOf
from pinzhi.api.serializers import RefusedSerializer
from pinzhi.api.views import RestrictedViewSet, documented
from pinzhi.org.models import Agent, Unit

from . import services
from .models import Commendation, Kind

urlpatterns = []




class CommendationFilter(df.FilterSet):
    agent = df.CharFilter(field_name="agent__code", help_text="agent code")
    kind = df.CharFilter(help_text="one of: " + ", ".join(Kind.values))
    awarded_from = df.DateFilter(field_name="awarded_on", lookup_expr="gte")
    awarded_to = df.DateFilter(field_name="awarded_on", lookup_expr="lte")

    class Meta:
        model = Commendation
        fields = []


class CommendationSerializer(serializers.ModelSerializer):
    agent_code = serializers.CharField(source="agent.code", read_only=True)
    unit_code = serializers.CharField(source="awarded_by_unit.code", read_only=True)
    kind = OneOf(Kind.values, read_only=True)

    class Meta:
        model = Commendation
        fields = ["commendation_no", "awarded_on", "agent_code", "kind", "title", "reason",
                  "unit_code", "voided_at", "void_reason"]


class CommendationRecordSerializer(serializers.Serializer):
    commendation_no = serializers.CharField(required=False, allow_blank=True, default="")
    agent_code = serializers.CharField()
    awarded_on = serializers.DateField()
    kind = OneOf(Kind.values)
    title = serializers.CharField(max_length=100)
    reason = serializers.CharField()
    unit_code = serializers.CharField(help_text="the awarding unit: the agent's team or above")

    def validate(self, data):
        user = self.context["request"].user
        agent = Agent.objects.restrict(user).filter(code=data["agent_code"]).first()
        if agent is None:
            raise serializers.ValidationError({"agent_code": "no such agent"})
        unit = Unit.objects.restrict(user).filter(code=data["unit_code"]).first()
        if unit is None:
            raise serializers.ValidationError({"unit_code": "no such unit"})
        return {"commendation_no": data["commendation_no"], "agent": agent, "unit": unit,
                "awarded_on": data["awarded_on"], "kind": data["kind"],
                "title": data["title"], "reason": data["reason"]}


@documented("commendations")
class CommendationViewSet(RestrictedViewSet):
    queryset = Commendation.objects.none()
    serializer_class = CommendationSerializer
    filterset_class = CommendationFilter
    lookup_field = "commendation_no"
    related = ("agent", "awarded_by_unit")

    def get_queryset(self):
        return super().get_queryset().order_by("awarded_on", "commendation_no")

    @extend_schema(summary="Record a commendation (201)", request=CommendationRecordSerializer,
                   responses={201: CommendationSerializer,
                              400: OpenApiResponse(description="malformed body"),
                              409: OpenApiResponse(RefusedSerializer,
                                                   description="refused, nothing changed")})
    def create(self, request):
        body = CommendationRecordSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        try:
            commendation = services.commendation_record(by=request.user,
                                                        **body.validated_data)
        except services.CommendationRefused as refused:
            return Response({"detail": str(refused)}, status=status.HTTP_409_CONFLICT)
        return Response(CommendationSerializer(commendation).data,
                        status=status.HTTP_201_CREATED)


def register(router) -> None:
    """Add this area's resources to the API router."""
    router.register("commendations", CommendationViewSet, basename="commendation")
