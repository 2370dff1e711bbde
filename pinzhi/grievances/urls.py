from django.urls import path

from . import views

urlpatterns = [
    path("", views.grievances_list, name="grievances-list"),
    path("new/", views.grievances_raise, name="grievances-raise"),
    path("record/", views.grievances_record, name="grievances-record"),
    path("<str:grievance_no>/", views.grievances_detail, name="grievances-detail"),
    path("<str:grievance_no>/assign/", views.grievances_assign, name="grievances-assign"),
    path("<str:grievance_no>/reply/", views.grievances_reply, name="grievances-reply"),
]
