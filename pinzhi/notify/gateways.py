"""Message gateways: how a message leaves Pinzhi (rules §8.2).

`PINZHI_MESSAGE_GATEWAY` names the adapter class. The default writes each message as one
JSON line to a log file (`var/messages.log`), which is what an intranet without an SMS
contract has; a company plugs in its SMS provider or messenger by writing a class with the
same `send(messages) -> channel` method and naming it in the setting.
"""

import json
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string


class LogFileGateway:
    channel = "log"

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path or settings.PINZHI_MESSAGE_LOG)

    def send(self, messages) -> str:
        """Write every message; raise on failure (nothing is then marked as told)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as out:
            for m in messages:
                out.write(json.dumps({
                    "key": m.key, "to_agent": m.agent_code, "to_phone": m.phone,
                    "to_user": m.username, "subject": m.subject, "body": m.body,
                }, ensure_ascii=False) + "\n")
        return self.channel


class NullGateway:
    """For companies that tell agents in the application only."""

    channel = "app"

    def send(self, messages) -> str:
        return self.channel


def gateway():
    return import_string(settings.PINZHI_MESSAGE_GATEWAY)()
