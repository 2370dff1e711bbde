from django.urls import path

from . import views

urlpatterns = [
    path("", views.recruitment_list, name="recruitment-list"),
    path("new/", views.candidate_new, name="recruitment-new"),
    path("<str:candidate_no>/", views.candidate_detail, name="recruitment-detail"),
    path("<str:candidate_no>/check/", views.candidate_check, name="recruitment-check"),
    path("<str:candidate_no>/sign/", views.candidate_sign, name="recruitment-sign"),
]
