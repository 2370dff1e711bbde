from django.urls import path

from . import views

urlpatterns = [
    path("", views.training_list, name="training-list"),
    path("sessions/new/", views.session_new, name="training-session-new"),
    path("sessions/<str:session_no>/", views.session_detail, name="training-session"),
    path("sessions/<str:session_no>/attendance/", views.attendance_new,
         name="training-attendance-new"),
    path("agents/<str:code>/", views.agent_file, name="training-agent"),
]
