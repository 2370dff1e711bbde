from django.urls import path

from . import views

urlpatterns = [
    path("", views.assessments_list, name="assessments-list"),
    path("decide/", views.assessments_decide, name="assessments-decide"),
    path("decide-all/", views.assessments_decide_all, name="assessments-decide-all"),
]
