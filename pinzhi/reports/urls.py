from django.urls import path

from . import views

urlpatterns = [path("", views.indicators, name="indicators"),
               path("promotion/", views.promotion, name="promotion"),
               path("report.pdf", views.evaluation_report_pdf, name="evaluation-report")]
