from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "pinzhi.demo"
    label = "demo"
