import pytest


class GatewayDown(Exception):
    pass


class BrokenGateway:
    """A gateway whose provider is unreachable."""

    channel = "sms"

    def send(self, messages):
        raise GatewayDown("SMS provider unreachable")


@pytest.fixture(autouse=True)
def message_log(settings, tmp_path):
    settings.PINZHI_MESSAGE_LOG = tmp_path / "messages.log"
    return settings.PINZHI_MESSAGE_LOG


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
