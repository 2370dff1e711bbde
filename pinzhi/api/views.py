"""Read-only endpoints of /api/v1/ for units, agents, products and policies.

Every queryset starts from `Model.objects.restrict(user)` (pinzhi.core.visibility), so a
row outside the user's scope is a 404 like a row that does not exist. Full ID and phone
numbers leave only through the `unmask` actions, which check `may_unmask` and log an
Event for every value they serve (rules §9).
"""

from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from pinzhi.core.reveal import reveal
from pinzhi.org.models import Agent, Unit
from pinzhi.policies.models import Policy, Product

from . import filters
from .serializers import (
    AgentSerializer,
    PolicySerializer,
    ProductSerializer,
    RefusedSerializer,
    UnitSerializer,
    UnmaskedSerializer,
)

TRUE_WORDS = {"true", "1", "yes"}
FALSE_WORDS = {"false", "0", "no", ""}

INCLUDE_VOIDED = OpenApiParameter(
    "include_voided", OpenApiTypes.BOOL, OpenApiParameter.QUERY,
    description="Include voided rows (excluded by default), with their void fields.",
)

POLICY_UNMASK_FIELDS = ("applicant_id_number", "applicant_phone", "insured_id_number")
AGENT_UNMASK_FIELDS = ("id_number", "phone")


class Pagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def include_voided(request) -> bool:
    """`?include_voided=true`; a value that is neither yes nor no is a 400, not a guess."""
    raw = request.query_params.get("include_voided", "").strip().lower()
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise serializers.ValidationError({"include_voided": "expected true or false"})


def documented(tag: str):
    """Tag a resource in the schema and document `include_voided` where it is honoured."""
    voided = extend_schema(parameters=[INCLUDE_VOIDED])

    def decorate(viewset):
        viewset = extend_schema_view(list=voided, retrieve=voided)(viewset)
        return extend_schema(tags=[tag])(viewset)

    return decorate


class RestrictedViewSet(viewsets.ReadOnlyModelViewSet):
    """Base of the resources: scope, voided rows, pagination, filters by natural key."""

    pagination_class = Pagination
    filter_backends = [DjangoFilterBackend]
    # Natural keys may hold dots (the default pattern stops at them).
    lookup_value_regex = r"[^/]+"
    related: tuple[str, ...] = ()

    def get_queryset(self):
        model = self.queryset.model
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user
            return model.objects.none()
        queryset = model.objects.restrict(self.request.user)
        if not include_voided(self.request):
            queryset = queryset.live()
        return queryset.select_related("voided_by", *self.related)

    def reveal(self, request, kind: str, allowed: tuple[str, ...]) -> Response:
        """Serve one full value of a row the user can see, and log that he saw it."""
        # Users who may not unmask get the 404 an unknown row gets: the endpoint does
        # not tell them whether the row exists.
        if not request.user.may_unmask():
            raise Http404
        field = request.query_params.get("field", "")
        if field not in allowed:
            raise serializers.ValidationError({"field": f"one of: {', '.join(allowed)}"})
        obj = self.get_object()
        key = getattr(obj, self.lookup_field)
        value = reveal(user=request.user, obj=obj, kind=kind, key=key, field=field, via="api",
                       ip=request.META.get("REMOTE_ADDR"))
        body = UnmaskedSerializer({"key": key, "field": field, "value": value})
        # A full ID or phone number must not linger in a shared or browser cache.
        return Response(body.data, headers={"Cache-Control": "no-store, private"})


def unmask_schema(allowed: tuple[str, ...]):
    return extend_schema(
        summary="The full value of one masked field (audited)",
        description=(
            "Only for roles that may see full ID and phone numbers; others get 404. "
            "Every call is logged."
        ),
        parameters=[
            OpenApiParameter("field", OpenApiTypes.STR, OpenApiParameter.QUERY,
                             required=True, enum=list(allowed)),
            INCLUDE_VOIDED,
        ],
        responses={
            200: UnmaskedSerializer,
            400: OpenApiResponse(description="`field` missing or not one of the enum"),
            404: OpenApiResponse(description="no such row in scope, or may not unmask"),
        },
    )


@documented("units")
class UnitViewSet(RestrictedViewSet):
    queryset = Unit.objects.none()
    serializer_class = UnitSerializer
    filterset_class = filters.UnitFilter
    lookup_field = "code"
    related = ("parent",)


@documented("agents")
class AgentViewSet(RestrictedViewSet):
    queryset = Agent.objects.none()
    serializer_class = AgentSerializer
    filterset_class = filters.AgentFilter
    lookup_field = "code"
    related = ("team",)

    @unmask_schema(AGENT_UNMASK_FIELDS)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def unmask(self, request, code=None):
        return self.reveal(request, "agent", AGENT_UNMASK_FIELDS)


@documented("products")
class ProductViewSet(RestrictedViewSet):
    queryset = Product.objects.none()
    serializer_class = ProductSerializer
    filterset_class = filters.ProductFilter
    lookup_field = "code"


@documented("policies")
class PolicyViewSet(RestrictedViewSet):
    queryset = Policy.objects.none()
    serializer_class = PolicySerializer
    filterset_class = filters.PolicyFilter
    lookup_field = "policy_no"
    related = ("agent__team", "product")

    @unmask_schema(POLICY_UNMASK_FIELDS)
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def unmask(self, request, policy_no=None):
        return self.reveal(request, "policy", POLICY_UNMASK_FIELDS)


def action_schema(summary: str, body, code: int = 200, *, answer):
    """The schema of a POST that runs an area's service: `code` with `answer` (the object
    changed or made), 400 for a malformed body, 409 when the service refuses (nothing
    changed). An area binds its own `answer`: `_acts = partial(action_schema, answer=…)`."""
    return extend_schema(summary=summary, request=body, responses={
        code: answer,
        400: OpenApiResponse(description="malformed body"),
        409: OpenApiResponse(RefusedSerializer, description="refused, nothing changed")})
