from django.urls import path

from . import views

urlpatterns = [
    path("", views.assessments_list, name="assessments-list"),
]
