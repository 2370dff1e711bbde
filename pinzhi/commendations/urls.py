from django.urls import path

from . import views

urlpatterns = [
    path("", views.commendations_list, name="commendations-list"),
    path("new/", views.commendations_record, name="commendations-record"),
    path("<str:commendation_no>/", views.commendations_detail, name="commendations-detail"),
]
