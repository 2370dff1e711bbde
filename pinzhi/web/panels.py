"""Panels other areas add to the agent's and the policy's pages (issue 8): the agent's
recruitment checks, rank decisions, departure tasks, grievances and commendations sit
beside his cases without the page knowing every area.

An area registers `provider(obj, user, today) -> dict | None`; the dict names its
`template` and carries what the template shows; None shows nothing (nothing to say, or
nothing this user may see). Providers are registered in the area's `AppConfig.ready`.
"""

import datetime as dt
from collections.abc import Callable

Provider = Callable[[object, object, dt.date], dict | None]

AGENT_PANELS: list[tuple[int, Provider]] = []
POLICY_PANELS: list[tuple[int, Provider]] = []


def agent_panel(order: int) -> Callable[[Provider], Provider]:
    """Decorator: show this provider's panel on the agent's page, by `order`."""
    def register(provider: Provider) -> Provider:
        AGENT_PANELS.append((order, provider))
        return provider
    return register


def policy_panel(order: int) -> Callable[[Provider], Provider]:
    """Decorator: show this provider's panel on the policy's page, by `order`."""
    def register(provider: Provider) -> Provider:
        POLICY_PANELS.append((order, provider))
        return provider
    return register


def panels_for(registry: list[tuple[int, Provider]], obj, user, today: dt.date) -> list[dict]:
    shown = []
    for _order, provider in sorted(registry, key=lambda entry: entry[0]):
        panel = provider(obj, user, today)
        if panel is not None:
            shown.append(panel)
    return shown
