from django.urls import path

from . import actions, auditlog, owed, views

urlpatterns = [
    path("", views.home, name="home"),
    path("units/", views.unit_list, name="unit-list"),
    path("units/<str:code>/", views.unit_detail, name="unit-detail"),
    path("agents/", views.agent_list, name="agent-list"),
    path("agents/<str:code>/", views.agent_detail, name="agent-detail"),
    path(
        "agents/<str:key>/reveal/<str:field>/", views.unmask, {"kind": "agent"},
        name="agent-unmask",
    ),
    path("import/", actions.import_upload, name="import"),
    path("audit/", auditlog.audit_log, name="audit"),
    path("owed/", owed.owed, name="owed"),
    path("void/<str:kind>/<str:key>/", actions.void, name="void"),
    path("products/", views.product_list, name="product-list"),
    path("products/<str:code>/", views.product_detail, name="product-detail"),
    path("policies/", views.policy_list, name="policy-list"),
    path("policies/<str:policy_no>/", views.policy_detail, name="policy-detail"),
    path(
        "policies/<str:key>/reveal/<str:field>/", views.unmask, {"kind": "policy"},
        name="policy-unmask",
    ),
]
