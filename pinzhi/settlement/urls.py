from django.urls import path, register_converter

from . import rules, views


class MonthConverter:
    """YYYY-MM in the address, the month's first day in the view (a month 13 is a 404)."""

    regex = r"\d{4}-\d{2}"

    def to_python(self, value):
        return rules.parse_month(value)

    def to_url(self, value):
        return value if isinstance(value, str) else rules.month_label(value)


register_converter(MonthConverter, "yearmonth")

urlpatterns = [
    path("", views.months, name="settlement-months"),
    path("compute/", views.compute, name="settlement-compute"),
    path("adjustments/", views.adjustments, name="settlement-adjustments"),
    path("me/", views.me, name="settlement-me"),
    path("me/<yearmonth:month>/", views.me_month, name="settlement-me-month"),
    path("me/<yearmonth:month>/statement.pdf", views.me_pdf, name="settlement-me-pdf"),
    path("<yearmonth:month>/", views.month_page, name="settlement-month"),
    path("<yearmonth:month>/<int:pk>/close/", views.close, name="settlement-close"),
    path("<yearmonth:month>/<int:pk>/discard/", views.discard, name="settlement-discard"),
    path("<yearmonth:month>/agents/<str:code>/", views.agent_month, name="settlement-agent"),
    path("<yearmonth:month>/agents/<str:code>/statement.pdf", views.agent_pdf,
         name="settlement-agent-pdf"),
]
