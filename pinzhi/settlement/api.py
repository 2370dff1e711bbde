"""/api/v1/ for the monthly settlement (rules §6): months and their runs, per-agent rows
and detail lines, adjustments, and an agent's statement and forecast.

Thin on purpose: rows come from `statements` and `exports` (the same functions as the
pages and `pinzhi export settlement`), changes go through `services`. Reading months,
lines and adjustments needs a SETTLEMENT_VIEW role (rules §9) and then sees only what
`restrict(user)` leaves; an agent reads only his own statement. Computing, closing and
adjusting are checked with `services.may` first so that a user without the right gets a
403; every other refusal of a service is a 409 with its reason, and nothing changed.
How rows look on the wire (yuan strings, `YYYY-MM` months): serializers.py.
"""

from django.db.models import F, Q, Value
from django.http import Http404
from django.urls import path, re_path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from pinzhi.accounts.models import Role
from pinzhi.api.views import Pagination, RestrictedViewSet, documented
from pinzhi.core.versions import path_prefixes
from pinzhi.core.visibility import scope_of
from pinzhi.org.models import Agent, Unit
from pinzhi.policies.models import Policy

from . import rules, services, statements
from .exports import SUMMARY_HEADER, summary_rows
from .models import Adjustment, LedgerLine, Settlement
from .serializers import (
    MONTH_PATTERN,
    AdjustmentInSerializer,
    AdjustmentQuery,
    AdjustmentSerializer,
    AgentRowSerializer,
    AgentsQuery,
    LinesQuery,
    SettlementLineSerializer,
    SettlementQuery,
    SettlementRefusedSerializer,
    SettlementRunSerializer,
    SettlementSerializer,
    StatementSerializer,
    statement_body,
)

MONTH = OpenApiParameter("month", OpenApiTypes.STR, OpenApiParameter.PATH,
                         pattern=MONTH_PATTERN, description="the month, YYYY-MM")


def _month(text: str):
    """A month of the URL; a 13th month is a page that does not exist."""
    try:
        return rules.parse_month(text)
    except ValueError:
        raise Http404 from None


def _refused(exc: services.SettlementRefused) -> Response:
    return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)


class MayView(permissions.BasePermission):
    """The roles that read the settlement pages; the rows are then restricted."""

    def has_permission(self, request, view):
        return request.user.is_authenticated and request.user.has_role(Role.SETTLEMENT_VIEW)


def _query(serializer_class, request) -> dict:
    query = serializer_class(data=request.query_params)
    query.is_valid(raise_exception=True)
    return {k: v for k, v in query.validated_data.items() if v not in ("", None)}


# -- months --------------------------------------------------------------------------------

def _lines(month, user, agent=None, policy=None, action=None):
    """The month's lines in scope, ledger and draft in one ordered queryset to page."""
    parts = []
    for lines in statements.month_lines(month, user=user):
        if agent:
            lines = lines.filter(agent__code=agent)
        if policy:
            lines = lines.filter(policy__policy_no=policy)
        if action:
            lines = lines.filter(action=action)
        parts.append(lines.order_by().annotate(
            agent_code=F("agent__code"), policy_no=F("policy__policy_no"),
            closed=Value(lines.model is LedgerLine)).values(
                "id", "action", "amount_fen", "reasons", "rule_version", "agent_code",
                "policy_no", "closed"))
    # A total order, so that pages neither repeat nor skip lines: ids are unique per table.
    # Adjustments of no one policy come first on every engine.
    return parts[0].union(parts[1], all=True).order_by(
        "agent_code", F("policy_no").asc(nulls_first=True), "id", "closed")


def _unit(code) -> Unit | None:
    """The unit whose subtree a run asks for (None: the company); unknown is a 400."""
    if not code:
        return None
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise serializers.ValidationError({"unit": f"no unit {code!r}"})
    return unit


def _run(summary: str):
    return extend_schema(
        summary=summary, parameters=[MONTH], request=SettlementRunSerializer,
        responses={200: SettlementSerializer,
                   400: OpenApiResponse(description="unknown unit or malformed body"),
                   403: OpenApiResponse(SettlementRefusedSerializer,
                                        description="the user may not do it for that unit"),
                   409: OpenApiResponse(SettlementRefusedSerializer,
                                        description="refused (nothing changed): four eyes, "
                                        "before the cutoff, months in order, closed")})


def _listed(summary: str, row, query):
    return extend_schema(summary=summary, parameters=[MONTH, query],
                         responses={200: row(many=True),
                                    403: OpenApiResponse(description="not a reading role"),
                                    404: OpenApiResponse(description="month not settled")})


READ = dict(detail=True, methods=["get"], permission_classes=[MayView])
RUN = dict(detail=True, methods=["post"], pagination_class=None,
           permission_classes=[permissions.IsAuthenticated])


@extend_schema(tags=["settlements"])
class SettlementViewSet(viewsets.GenericViewSet):
    """Settlements (one per month and unit settled) in scope, newest first."""

    queryset = Settlement.objects.none()
    serializer_class = SettlementSerializer
    pagination_class = Pagination
    permission_classes = [MayView]
    filter_backends = []
    lookup_field = "month"
    lookup_value_regex = r"\d{4}-\d{2}"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return Settlement.objects.none()
        return (Settlement.objects.restrict(self.request.user)
                .select_related("unit", "computed_by", "closed_by"))

    @extend_schema(summary="Settlements in scope", parameters=[SettlementQuery])
    def list(self, request):
        rows = self.get_queryset().filter(**_query(SettlementQuery, request))
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _settled(self, month_text):
        """The month, if a settlement of it covers or lies within the user's scope: that
        another branch settled a month is not his to know."""
        month = _month(month_text)
        if not settled_for(self.request.user, month):
            raise Http404(f"{rules.month_label(month)} has not been settled")
        return month

    @_listed("The month's rows per agent (the CSV export's columns)", AgentRowSerializer,
             AgentsQuery)
    @action(**READ)
    def agents(self, request, month=None):
        month = self._settled(month)
        code, path = _query(AgentsQuery, request).get("unit"), ""
        if code:  # like the `under` filters: an unknown unit finds nothing, as one out of scope
            path = Unit.objects.filter(code=code).values_list("path", flat=True).first()
        rows = [] if path is None else [
            dict(zip(SUMMARY_HEADER, row, strict=True))
            for row in summary_rows(month, scope_path=path, user=request.user)]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(AgentRowSerializer(page, many=True).data)

    @_listed("The month's detail lines (ledger where closed, draft elsewhere)",
             SettlementLineSerializer, LinesQuery)
    @action(**READ)
    def lines(self, request, month=None):
        month = self._settled(month)
        page = self.paginate_queryset(_lines(month, request.user,
                                             **_query(LinesQuery, request)))
        for line in page:
            line["month"] = rules.month_label(month)
        return self.get_paginated_response(SettlementLineSerializer(page, many=True).data)

    @_run("Compute the month's draft (of a unit's subtree, or the company)")
    @action(**RUN)
    def compute(self, request, month=None):
        month, unit = self._run_target(request, month, Role.SETTLEMENT_COMPUTE)
        try:
            computed = services.settlement_compute(month=month, unit=unit, by=request.user)
        except services.SettlementRefused as exc:
            return _refused(exc)
        return Response(self.get_serializer(computed.settlement).data)

    @_run("Close the month's draft: into the ledger, by a second person")
    @action(**RUN)
    def close(self, request, month=None):
        month, unit = self._run_target(request, month, Role.SETTLEMENT_CLOSE)
        draft = Settlement.objects.filter(month=month,
                                          scope_path=unit.path if unit else "").first()
        if draft is None:  # as `pinzhi settle --close` answers it
            return Response({"detail": f"{rules.month_label(month)} has no draft for "
                             f"{unit.code if unit else '*'}: compute it first"},
                            status=status.HTTP_409_CONFLICT)
        try:
            closed = services.settlement_close(settlement=draft, by=request.user)
        except services.SettlementRefused as exc:
            return _refused(exc)
        return Response(self.get_serializer(closed).data)

    def _run_target(self, request, month_text, roles):
        month = _month(month_text)
        body = SettlementRunSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        unit = _unit(body.validated_data.get("unit"))
        # The service checks it too, as a refusal (409); asked first, it is a 403.
        if not services.may(request.user, roles, unit.path if unit else ""):
            raise PermissionDenied(f"{request.user.get_username()} may not do this for "
                                   f"{unit.code if unit else 'the whole company'}")
        return month, unit


# -- adjustments ---------------------------------------------------------------------------

@documented("adjustments")
class AdjustmentViewSet(RestrictedViewSet):
    """Corrections after closing (rules §6), each an `adjust` line of a later month."""

    queryset = Adjustment.objects.none()
    serializer_class = AdjustmentSerializer
    filter_backends = []
    related = ("agent", "policy", "by")
    http_method_names = ["get", "post", "head", "options"]

    def get_permissions(self):
        if self.action == "create":
            return [permissions.IsAuthenticated()]
        return [MayView()]

    def get_queryset(self):
        rows = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):
            return rows
        query = _query(AdjustmentQuery, self.request)
        if "agent" in query:
            rows = rows.filter(agent__code=query["agent"])
        if "month" in query:
            rows = rows.filter(month=query["month"])
        return rows.order_by("-created_at", "-id")

    @extend_schema(summary="Adjustments in scope, newest first", parameters=[AdjustmentQuery])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary="Record an adjustment (a signed correction, with a written reason)",
        request=AdjustmentInSerializer,
        responses={201: AdjustmentSerializer,
                   400: OpenApiResponse(description="a field is missing or malformed"),
                   403: OpenApiResponse(description="the user may not adjust"),
                   409: OpenApiResponse(SettlementRefusedSerializer,
                                        description="refused, e.g. no month closed yet")})
    def create(self, request):
        # The role first: a user who may not adjust learns nothing about the agents.
        if not request.user.has_role(Role.SETTLEMENT_ADJUST):
            raise PermissionDenied("this role may not record adjustments")
        body = AdjustmentInSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        agent = (Agent.objects.restrict(request.user).select_related("team")
                 .filter(code=data["agent_code"]).first())
        if agent is None:
            raise serializers.ValidationError({"agent_code": "no such agent in your scope"})
        if not services.may(request.user, Role.SETTLEMENT_ADJUST, agent.team.path):
            raise PermissionDenied("may not adjust this agent's settlement")
        policy = None
        if data.get("policy_no"):
            policy = (Policy.objects.restrict(request.user).live()
                      .filter(policy_no=data["policy_no"]).first())
            if policy is None:
                raise serializers.ValidationError({"policy_no": "no such policy in scope"})
        try:
            made = services.adjustment_add(agent=agent, policy=policy, by=request.user,
                                           amount_fen=data["amount"], reason=data["reason"])
        except services.SettlementRefused as exc:
            return _refused(exc)
        made = self.get_queryset().get(pk=made.pk)
        return Response(self.get_serializer(made).data, status=status.HTTP_201_CREATED)


# -- statements ----------------------------------------------------------------------------

AGENT_CODE = OpenApiParameter("agent_code", OpenApiTypes.STR, OpenApiParameter.PATH)
NOT_FOUND = OpenApiResponse(description="no such agent in scope (an agent: not himself), "
                                        "or no statement for the month")


@extend_schema(tags=["statements"])
class StatementViewSet(viewsets.GenericViewSet):
    """An agent's statement of a month, and his forecast of the coming cutoff."""

    serializer_class = StatementSerializer
    pagination_class = None
    filter_backends = []

    def _agent(self, code: str) -> Agent:
        user = self.request.user
        agents = Agent.objects.restrict(user)
        if not user.has_role(Role.SETTLEMENT_VIEW):
            # Other roles read no statements but their own (an agent: himself).
            agents = agents.filter(pk=user.agent_id)
        agent = agents.select_related("team").filter(code=code).first()
        if agent is None:
            raise Http404
        return agent

    @extend_schema(summary="An agent's statement of a settled month (closed or draft)",
                   parameters=[AGENT_CODE, MONTH],
                   responses={200: StatementSerializer, 404: NOT_FOUND})
    def retrieve(self, request, agent_code=None, month=None):
        agent, month = self._agent(agent_code), _month(month)
        found = statements.statement(agent, month)
        if found is None:
            raise Http404(f"no statement of {agent.code} for {rules.month_label(month)}")
        return Response(StatementSerializer(statement_body(found)).data)

    @extend_schema(summary="What the coming cutoff will withhold if nothing changes",
                   parameters=[AGENT_CODE],
                   responses={200: StatementSerializer, 404: NOT_FOUND})
    def forecast(self, request, agent_code=None):
        found = statements.forecast(self._agent(agent_code))
        return Response(StatementSerializer(statement_body(found)).data)


def register(router) -> None:
    router.register("settlements", SettlementViewSet, basename="settlement")
    router.register("adjustments", AdjustmentViewSet, basename="adjustment")


# Two keys in one URL: explicit paths, added after the router's (pinzhi/api/urls.py).
urlpatterns = [
    path("statements/<str:agent_code>/forecast/",
         StatementViewSet.as_view({"get": "forecast"}), name="statement-forecast"),
    re_path(r"^statements/(?P<agent_code>[^/]+)/(?P<month>\d{4}-\d{2})/$",
            StatementViewSet.as_view({"get": "retrieve"}), name="statement-detail"),
]


def settled_for(user, month) -> bool:
    """Whether a settlement of `month` covers the user's scope (the company's, or one of
    a unit above his) or lies within it."""
    scope = scope_of(user)
    settlements = Settlement.objects.filter(month=month)
    if scope.everything:
        return settlements.exists()
    if scope.agent_id is not None:
        path = Agent.objects.filter(pk=scope.agent_id).values_list("team__path", flat=True)
        path = path.first() or None
    else:
        path = scope.unit_path
    if path is None:
        return False
    covering = Q(scope_path="") | Q(scope_path__in=path_prefixes(path))
    return settlements.filter(covering | Q(scope_path__startswith=path)).exists()
