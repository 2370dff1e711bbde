"""The indicators in /api/v1/ (rules §8.1): `indicators/?unit=CODE` (a unit's subtree) or
`?agent=CODE`, for `from`/`to` (default: this month so far) as of `as_of` (default now),
each figure beside the objective in force for the unit and whether it is met. Rows come
from `restrict(request.user)`: a unit or an agent outside the user's scope is a 404."""

import datetime as dt

from django.shortcuts import get_object_or_404
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, views
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from pinzhi.core.importing.parsers import date, timestamp
from pinzhi.org.models import Agent, Unit
from pinzhi.quality.scoring import half_year_bounds

from . import indicators as ind
from .exports import figures as figures_of
from .promotion import HEADER, promotion_rows
from .reading import tallies, unit_tally
from .targets import Targets, against

PARAMETERS = [
    OpenApiParameter("unit", OpenApiTypes.STR, description="a unit's code (its subtree)"),
    OpenApiParameter("agent", OpenApiTypes.STR, description="an agent's code, instead"),
    OpenApiParameter("from", OpenApiTypes.DATE, description="first day (default: the "
                                                            "first of this month)"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="last day (default: today)"),
    OpenApiParameter("as_of", OpenApiTypes.DATETIME, description="the moment (default now)"),
]


class FigureSerializer(serializers.Serializer):
    code = serializers.CharField()
    value = serializers.CharField(allow_null=True, help_text="a number as text; null: —")
    target = serializers.CharField(allow_null=True)
    direction = serializers.CharField(allow_null=True)
    met = serializers.BooleanField(allow_null=True)


class IndicatorsSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    first = serializers.DateField(source="from")
    last = serializers.DateField(source="to")
    as_of = serializers.DateTimeField()
    figures = FigureSerializer(many=True)


class PromotionRowSerializer(serializers.Serializer):
    period = serializers.CharField()
    agent_code = serializers.CharField()
    agent_name = serializers.CharField()
    unit_code = serializers.CharField()
    points = serializers.CharField()
    standing = serializers.CharField()
    quality_passed = serializers.CharField(help_text="true or false")
    receipt_target_met = serializers.CharField()
    callback_target_met = serializers.CharField()
    persistency_target_met = serializers.CharField()
    promotion_eligible = serializers.CharField()
    maintenance_passed = serializers.CharField()
    club_eligible = serializers.CharField()


class IndicatorsView(views.APIView):
    @extend_schema(parameters=PARAMETERS, responses=IndicatorsSerializer,
                   summary="A unit's or an agent's indicators against their objectives")
    def get(self, request):
        period, as_of = self._period(request)
        if request.query_params.get("agent"):
            agent = get_object_or_404(Agent.objects.restrict(request.user).select_related(
                "team"), code=request.query_params["agent"])
            tally = tallies(period, as_of, by="agent").get(agent.pk, ind.Tally())
            who, path = {"code": agent.code, "name": agent.name, "level": "agent"}, \
                agent.team.path
        else:
            code = request.query_params.get("unit")
            if not code:
                raise ValidationError({"unit": "give a unit (or an agent)"})
            unit = get_object_or_404(Unit.objects.restrict(request.user), code=code)
            tally = unit_tally(unit.path, tallies(period, as_of))
            who, path = {"code": unit.code, "name": unit.name, "level": unit.level}, unit.path
        objectives = Targets().for_unit(path, period.last)
        figures = []
        for code, value in figures_of(tally).items():
            objective = objectives.get(code)
            target, met = against(objective, value)
            figures.append({"code": code, "value": None if value is None else str(value),
                            "target": None if target is None else str(target),
                            "direction": objective.direction if objective else None,
                            "met": met})
        body = {**who, "from": period.first, "to": period.last, "as_of": as_of,
                "figures": figures}
        return Response(IndicatorsSerializer(body).data)

    @staticmethod
    def _period(request) -> tuple[ind.Period, dt.datetime]:
        params, today = request.query_params, timezone.localdate()
        try:
            first = date(params["from"]) if params.get("from") else today.replace(day=1)
            last = date(params["to"]) if params.get("to") else today
            as_of = timestamp(params["as_of"]) if params.get("as_of") else timezone.now()
        except ValueError as exc:
            raise ValidationError({"from/to/as_of": str(exc)}) from None
        if first > last:
            raise ValidationError({"from": "after to"})
        return ind.Period(first, last), as_of


class PromotionView(views.APIView):
    @extend_schema(
        parameters=[OpenApiParameter("period", OpenApiTypes.STR, required=True,
                                     description="YYYYH1 or YYYYH2"),
                    OpenApiParameter("as_of", OpenApiTypes.DATE,
                                     description="cases up to this day (default today)")],
        responses=PromotionRowSerializer(many=True),
        summary="The promotion and maintenance feed for HR (rules §7.5)")
    def get(self, request):
        try:
            period = request.query_params.get("period", "")
            half_year_bounds(period)
            as_of = (date(request.query_params["as_of"]) if request.query_params.get("as_of")
                     else timezone.localdate())
        except ValueError as exc:
            raise ValidationError({"period/as_of": str(exc)}) from None
        rows = promotion_rows(period, as_of, agents=Agent.objects.restrict(request.user))
        return Response([dict(zip(HEADER, [str(v) for v in row], strict=True))
                         for row in rows])


def register(router):
    """Nothing for the router: the indicators are one computed resource (urlpatterns)."""


urlpatterns = [path("indicators/", IndicatorsView.as_view(), name="indicators"),
               path("promotion/", PromotionView.as_view(), name="promotion")]
