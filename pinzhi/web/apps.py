from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "pinzhi.web"
    label = "web"
