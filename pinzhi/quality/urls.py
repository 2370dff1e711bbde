from django.urls import path

from . import views

urlpatterns = [
    path("", views.queue, name="quality-queue"),
    path("cases/", views.case_list, name="quality-cases"),
    path("cases/new/", views.case_new, name="case-new"),
    path("cases/<str:case_no>/", views.case_detail, name="case-detail"),
    path("cases/<str:case_no>/files/", views.evidence_upload, name="case-evidence-upload"),
    path("cases/<str:case_no>/files/<int:pk>/", views.evidence_file, name="case-evidence"),
    path("cases/<str:case_no>/<str:action>/", views.case_action, name="case-action"),
    path("me/", views.my_quality, name="my-quality"),
    path("team/", views.team, name="quality-team"),
    path("scores/", views.scores_current, name="quality-scores-current"),
    path("scores/<str:period>/", views.score_list, name="quality-scores"),
    path("scores/<str:period>/close/", views.half_year_close, name="quality-close"),
    path("letters/<str:period>/<str:agent_code>.pdf", views.warning_letter,
         name="warning-letter"),
    path("catalogue/", views.catalogue, name="quality-catalogue"),
    path("catalogue/versions/", views.catalogue_version_add, name="catalogue-version-add"),
    path("catalogue/thresholds/", views.catalogue_scheme_add, name="catalogue-scheme-add"),
]
