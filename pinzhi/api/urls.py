"""/api/v1/: the read-only resources, by natural key, and quality points."""

from rest_framework.routers import DefaultRouter

from pinzhi.callbacks import api as callbacks
from pinzhi.complaints import api as complaints
from pinzhi.documents import api as documents
from pinzhi.notices import api as notices
from pinzhi.quality import api as quality
from pinzhi.receipts import api as receipts
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
for area in (receipts, documents, notices, complaints, training, settlement, reports):
    area.register(router)

app_name = "api"
urlpatterns = router.urls
# A policy's callback: one per policy, below its URL (see pinzhi/callbacks/api.py).
urlpatterns += callbacks.urlpatterns
urlpatterns += receipts.urlpatterns + documents.urlpatterns + notices.urlpatterns
urlpatterns += settlement.urlpatterns + reports.urlpatterns
