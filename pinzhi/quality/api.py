"""/api/v1/ for quality points (rules §7): cases and their transitions, the violation
catalogue, and half-year scores for the HR system.

Cases come from `Case.objects.restrict(user)` like every other resource, so a case
outside the user's scope is a 404. A transition calls its service function
(pinzhi.quality.services); a refused one is a 409 with the service's message, and
nothing is changed. Points are strings with one decimal ("15.5"), never JSON numbers.
"""

import datetime as dt

import django_filters as df
from django.db.models import Prefetch, Q
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from pinzhi.api.fields import ReadOnlyField
from pinzhi.api.filters import StableOrderingFilter, under_filter
from pinzhi.api.serializers import VOID_FIELDS, RefusedSerializer, VoidableSerializer
from pinzhi.api.views import Pagination, RestrictedViewSet, documented
from pinzhi.core.visibility import scope_of
from pinzhi.org.models import Agent, Unit

from . import services
from .models import Case, CaseSource, CaseStatus, ViolationType, ViolationVersion
from .scores import agents_of_half_year, half_year_scores
from .scoring import half_year_bounds, points

POINTS_SCHEMA = {
    "type": "string",
    "format": "decimal",
    "pattern": r"^\d+\.\d$",
    "example": "15.5",
    "description": "Quality points with exactly 1 decimal, as a string.",
}
PERIOD_PATTERN = r"^\d{4}H[12]$"


@extend_schema_field(POINTS_SCHEMA)
class PointsField(ReadOnlyField):
    """Integer tenths in the database, a one-decimal string on the wire ("0.5")."""

    def to_representation(self, value):
        return str(points(value))


def _period(value: str) -> tuple[dt.date, dt.date]:
    try:
        return half_year_bounds(value.upper())
    except (ValueError, IndexError):
        raise serializers.ValidationError(
            {"period": "a half-year such as 2026H1 or 2026H2"}) from None


# -- cases -------------------------------------------------------------------------------

class CaseSerializer(VoidableSerializer):
    agent = serializers.SlugRelatedField(slug_field="code", read_only=True)
    agent_name = serializers.CharField(source="agent.name", read_only=True)
    team = serializers.CharField(source="agent.team.code", read_only=True,
                                 help_text="code of the agent's team (now)")
    type = serializers.SlugRelatedField(slug_field="code", read_only=True,
                                        help_text="violation code")
    type_name = serializers.CharField(source="version.name_zh", read_only=True,
                                      allow_null=True)
    points = PointsField(source="version.points_tenths", allow_null=True,
                         help_text="base points of the catalogue version that priced the "
                                   "case (a tiered type's later cases may cost more)")
    policy = serializers.SlugRelatedField(slug_field="policy_no", read_only=True,
                                          allow_null=True)
    found_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                            allow_null=True)
    decided_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                              allow_null=True)
    reviewed_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                               allow_null=True)
    counts = serializers.BooleanField(read_only=True,
                                      help_text="whether its points count now")

    class Meta:
        model = Case
        fields = (
            "case_no", "agent", "agent_name", "team", "type", "type_name", "points",
            "occurred_on", "found_on", "policy", "evidence", "source", "found_by", "status",
            "counts", "decided_by", "decided_at", "decision_note", "told_at", "due_on",
            "appealed_at", "appeal_reason", "reviewed_by", "reviewed_at", "review_note",
            *VOID_FIELDS,
        )
        read_only_fields = fields


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="",
                                 max_length=4000)


class RequiredNoteSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True, max_length=4000,
                                 help_text="the reason (required, not blank)")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, max_length=4000,
                                   help_text="why the agent appeals (required, not blank)")


class CaseFilter(df.FilterSet):
    status = df.ChoiceFilter(choices=CaseStatus.choices)
    type = df.CharFilter(field_name="type__code", label="violation code")
    agent = df.CharFilter(field_name="agent__code", label="agent code")
    source = df.ChoiceFilter(choices=CaseSource.choices)
    occurred_from = df.DateFilter(field_name="occurred_on", lookup_expr="gte",
                                  label="occurred on or after (YYYY-MM-DD)")
    occurred_to = df.DateFilter(field_name="occurred_on", lookup_expr="lte",
                                label="occurred on or before (YYYY-MM-DD)")
    period = df.CharFilter(method="in_half_year",
                           label="half-year the case counts in (2026H1, 2026H2)")
    under = under_filter("agent__team__path")
    ordering = StableOrderingFilter(
        fields=("case_no", "occurred_on", "found_on", "status", ("agent__code", "agent"),
                ("type__code", "type")),
        tiebreak="case_no",
    )

    class Meta:
        model = Case
        fields = ("status", "type", "agent", "source", "occurred_from", "occurred_to",
                  "period", "under")

    def in_half_year(self, queryset, name, value):
        start, end = _period(value)
        return queryset.filter(occurred_on__gte=start, occurred_on__lte=end)


def transition(summary: str, request, description: str = ""):
    return extend_schema(
        summary=summary, description=description, request=request,
        responses={
            200: CaseSerializer,
            400: OpenApiResponse(description="the body is malformed"),
            404: OpenApiResponse(description="no such case in the user's scope"),
            409: OpenApiResponse(RefusedSerializer,
                                 description="the change is not allowed (nothing changed)"),
        },
    )


ACTION = dict(detail=True, methods=["post"], filter_backends=[], pagination_class=None)


@documented("cases")
class CaseViewSet(RestrictedViewSet):
    """Quality cases in the user's scope; their transitions as POST actions."""

    queryset = Case.objects.none()
    serializer_class = CaseSerializer
    filterset_class = CaseFilter
    lookup_field = "case_no"
    related = ("agent__team", "type", "version", "policy", "found_by", "decided_by",
               "reviewed_by")

    def _apply(self, request, body_class, change, field):
        case = self.get_object()  # 404 outside the scope, before looking at the body
        body = body_class(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            case = change(case=case, by=request.user, **{field: body.validated_data[field]})
        except services.CaseRefused as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        case = self.get_queryset().get(pk=case.pk)
        return Response(self.get_serializer(case).data)

    @transition("Confirm a draft case (quality officer)", NoteSerializer)
    @action(**ACTION)
    def confirm(self, request, case_no=None):
        return self._apply(request, NoteSerializer, services.case_confirm, "note")

    @transition("Dismiss a draft case, with the reason (quality officer)",
                RequiredNoteSerializer)
    @action(**ACTION)
    def dismiss(self, request, case_no=None):
        return self._apply(request, RequiredNoteSerializer, services.case_dismiss,
                           "note")

    @transition("Appeal a confirmed case (the agent himself, within the window)",
                ReasonSerializer)
    @action(**ACTION)
    def appeal(self, request, case_no=None):
        return self._apply(request, ReasonSerializer, services.case_appeal, "reason")

    @transition("Uphold an appeal: the case stands (another officer than the confirmer)",
                NoteSerializer)
    @action(**ACTION)
    def uphold(self, request, case_no=None):
        return self._apply(request, NoteSerializer, services.appeal_uphold, "note")

    @transition("Overturn an appeal: the case stops counting (another officer)",
                NoteSerializer)
    @action(**ACTION)
    def overturn(self, request, case_no=None):
        return self._apply(request, NoteSerializer, services.appeal_overturn, "note")


# -- the catalogue -----------------------------------------------------------------------

class ViolationVersionSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True,
        help_text="the subtree it applies to; null: the whole company")
    points = PointsField(source="points_tenths")
    tier_points = PointsField(source="tier_points_tenths", allow_null=True,
                              help_text="points of each case after `tier_after`")

    class Meta:
        model = ViolationVersion
        fields = ("unit", "valid_from", "name_zh", "name_en", "article", "points",
                  "tier_after", "tier_points")
        read_only_fields = fields


class ViolationTypeSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True,
        help_text="unit that added the type; null: head office's catalogue")
    versions = serializers.SerializerMethodField()

    class Meta:
        model = ViolationType
        fields = ("code", "owner", "versions")
        read_only_fields = fields

    @extend_schema_field(ViolationVersionSerializer(many=True))
    def get_versions(self, kind):
        return ViolationVersionSerializer(kind.visible_versions, many=True).data


def _catalogue_units(user) -> Q | None:
    """Versions a user may read: the company's, and those of the units above and below
    his place in the tree (a branch's overrides concern only its subtree). None: nothing."""
    scope = scope_of(user)
    if scope.everything:
        return Q()
    if scope.unit_path is not None:
        path = scope.unit_path
    elif scope.agent_id is not None:
        path = Agent.objects.filter(pk=scope.agent_id).values_list(
            "team__path", flat=True).first() or ""
    else:
        return None
    above = [c for c in path.split("/") if c]
    return Q(unit__isnull=True) | Q(unit__code__in=above) | Q(unit__path__startswith=path)


@extend_schema(tags=["violation-types"])
class ViolationTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """The violation catalogue (rules §7.1): each type with its dated versions."""

    serializer_class = ViolationTypeSerializer
    pagination_class = Pagination
    filter_backends = []
    lookup_field = "code"
    lookup_value_regex = r"[^/]+"
    queryset = ViolationType.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ViolationType.objects.none()
        units = _catalogue_units(self.request.user)
        if units is None:
            return ViolationType.objects.none()
        versions = ViolationVersion.objects.filter(units).select_related("unit") \
            .order_by("valid_from", "unit__path")
        return (ViolationType.objects.filter(versions__in=versions).distinct()
                .select_related("owner").order_by("code")
                .prefetch_related(Prefetch("versions", queryset=versions,
                                           to_attr="visible_versions")))


# -- half-year scores --------------------------------------------------------------------

class ScoreSerializer(serializers.Serializer):
    """One agent's half-year, as in `pinzhi export scores` (interfaces.md)."""

    period = serializers.CharField(read_only=True, help_text="2026H1 or 2026H2")
    agent_code = serializers.CharField(read_only=True)
    agent_name = serializers.CharField(read_only=True)
    unit_code = serializers.CharField(read_only=True, help_text="the agent's team")
    points = PointsField()
    cases = serializers.IntegerField(read_only=True, help_text="counting cases")
    standing = serializers.CharField(
        read_only=True, help_text="by the thresholds in force (rules §7.6); by default "
                                  "good, warned, restricted, failed or termination")
    consequences = serializers.ListField(
        child=serializers.CharField(), read_only=True,
        help_text="consequence codes in the order of the thresholds table")


class ScoreQuerySerializer(serializers.Serializer):
    period = serializers.RegexField(PERIOD_PATTERN, help_text="2026H1 or 2026H2")
    as_of = serializers.DateField(required=False, help_text="count cases occurring up to "
                                  "and known by the end of this day (default: today)")
    unit = serializers.CharField(required=False, help_text="unit code: only its subtree")


class ScoresPagination(Pagination):
    max_page_size = 5000


@extend_schema(tags=["scores"])
class ScoreViewSet(viewsets.GenericViewSet):
    """Half-year quality points per agent in scope (the HR system reads these)."""

    serializer_class = ScoreSerializer
    pagination_class = ScoresPagination
    filter_backends = []

    @extend_schema(
        summary="Quality points per agent for a half-year",
        description=(
            "One row per agent of the user's scope active at any time in the half-year "
            "(agents with no case included), ordered by agent code. An agent sees only "
            "his own row."
        ),
        parameters=[
            OpenApiParameter("period", OpenApiTypes.STR, OpenApiParameter.QUERY,
                             required=True, pattern=PERIOD_PATTERN,
                             description="the half-year, e.g. 2026H1"),
            OpenApiParameter("as_of", OpenApiTypes.DATE, OpenApiParameter.QUERY,
                             description="cases up to and known by the end of this day "
                                         "(default: today)"),
            OpenApiParameter("unit", OpenApiTypes.STR, OpenApiParameter.QUERY,
                             description="unit code: only the agents of its subtree"),
        ],
        responses={200: ScoreSerializer(many=True),
                   400: OpenApiResponse(description="period or as_of malformed")},
    )
    def list(self, request):
        query = ScoreQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        period = query.validated_data["period"].upper()
        _period(period)
        as_of = query.validated_data.get("as_of") or timezone.localdate()
        agents = Agent.objects.restrict(request.user)
        if "unit" in query.validated_data:
            path = Unit.objects.filter(code=query.validated_data["unit"]) \
                .values_list("path", flat=True).first()
            agents = agents.filter(team__path__startswith=path) if path else agents.none()
        ordered = agents_of_half_year(period, agents).order_by("code").values_list(
            "id", flat=True)
        page = self.paginate_queryset(ordered)
        ids = list(page if page is not None else ordered)
        scored = half_year_scores(period, as_of=as_of, agents=Agent.objects.filter(id__in=ids))
        rows = sorted(
            ({"period": period, "agent_code": agent.code, "agent_name": agent.name,
              "unit_code": agent.team.code, "points": result.points_tenths,
              "cases": result.cases, "standing": result.standing,
              "consequences": result.consequences} for agent, result in scored),
            key=lambda row: row["agent_code"])
        data = ScoreSerializer(rows, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)
