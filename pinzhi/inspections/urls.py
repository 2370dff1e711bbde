from django.urls import path

from . import views

urlpatterns = [
    path("", views.inspections_list, name="inspections-list"),
    path("new/", views.plan_new, name="inspections-new"),
    path("findings/", views.findings_list, name="inspections-findings"),
    path("findings/<str:finding_no>/", views.finding_detail, name="inspections-finding"),
    path("findings/<str:finding_no>/rectify/", views.finding_rectify,
         name="inspections-rectify"),
    path("findings/<str:finding_no>/verify/", views.finding_verify,
         name="inspections-verify"),
    path("<str:plan_no>/", views.plan_detail, name="inspections-plan"),
    path("<str:plan_no>/items/", views.item_add, name="inspections-item-add"),
    path("<str:plan_no>/template/", views.template_copy, name="inspections-template"),
    path("<str:plan_no>/items/<int:seq>/check/", views.item_check,
         name="inspections-item-check"),
    path("<str:plan_no>/findings/", views.finding_new, name="inspections-finding-new"),
]
