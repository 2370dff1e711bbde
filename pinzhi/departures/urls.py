from django.urls import path

from . import views

urlpatterns = [
    path("", views.departures_list, name="departures-list"),
    path("new/", views.departure_record, name="departures-record"),
    path("<str:agent_code>/", views.departure_detail, name="departures-detail"),
    path("<str:agent_code>/told/", views.departure_told, name="departures-told"),
    path("<str:agent_code>/return/", views.departure_return, name="departures-return"),
]
