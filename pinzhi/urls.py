from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from pinzhi.accounts import views as account_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("pinzhi.accounts.urls")),
    path("api/v1/", include("pinzhi.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("quality/", include("pinzhi.quality.urls")),
    path("callbacks/", include("pinzhi.callbacks.urls")),
    path("messages/", include("pinzhi.notify.urls")),
    path("receipts/", include("pinzhi.receipts.urls")),
    path("documents/", include("pinzhi.documents.urls")),
    path("notices/", include("pinzhi.notices.urls")),
    path("complaints/", include("pinzhi.complaints.urls")),
    path("training/", include("pinzhi.training.urls")),
    path("recruitment/", include("pinzhi.recruitment.urls")),
    path("departures/", include("pinzhi.departures.urls")),
    path("assessments/", include("pinzhi.assessments.urls")),
    path("inspections/", include("pinzhi.inspections.urls")),
    path("grievances/", include("pinzhi.grievances.urls")),
    path("commendations/", include("pinzhi.commendations.urls")),
    path("settlement/", include("pinzhi.settlement.urls")),
    path("indicators/", include("pinzhi.reports.urls")),
    path("", include("pinzhi.web.urls")),
]
