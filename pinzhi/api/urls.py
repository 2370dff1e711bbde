"""/api/v1/: the read-only resources, by natural key, and quality points."""

from rest_framework.routers import DefaultRouter

from pinzhi.assessments import api as assessments
from pinzhi.callbacks import api as callbacks
from pinzhi.commendations import api as commendations
from pinzhi.complaints import api as complaints
from pinzhi.departures import api as departures
from pinzhi.documents import api as documents
from pinzhi.grievances import api as grievances
from pinzhi.inspections import api as inspections
from pinzhi.notices import api as notices
from pinzhi.quality import api as quality
from pinzhi.receipts import api as receipts
from pinzhi.recruitment import api as recruitment
from pinzhi.reports import api as reports
from pinzhi.settlement import api as settlement
from pinzhi.training import api as training

from . import views


class Router(DefaultRouter):
    # `P1.json` would be read as policy `P1` in JSON format; keys are keys.
    include_format_suffixes = False


router = Router()
router.register("units", views.UnitViewSet, basename="unit")
router.register("agents", views.AgentViewSet, basename="agent")
router.register("products", views.ProductViewSet, basename="product")
router.register("policies", views.PolicyViewSet, basename="policy")
router.register("cases", quality.CaseViewSet, basename="case")
router.register("violation-types", quality.ViolationTypeViewSet, basename="violation-type")
router.register("scores", quality.ScoreViewSet, basename="score")
router.register("callbacks", callbacks.CallbackViewSet, basename="callback")
# each area adds its own resources
AREAS = (receipts, documents, notices, complaints, training, recruitment, departures,
         assessments, inspections, grievances, commendations, settlement, reports)
for area in AREAS:
    area.register(router)

app_name = "api"
urlpatterns = router.urls
# A policy's callback: one per policy, below its URL (see pinzhi/callbacks/api.py).
urlpatterns += callbacks.urlpatterns
for area in AREAS:
    urlpatterns += getattr(area, "urlpatterns", [])
