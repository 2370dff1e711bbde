"""The settlement's menu items for web/base.html: "Settlement" for the roles that read
the branch's months, "My statement" for a user who is an agent (a team manager too).

Kept beside the settlement pages so that the menu and the pages' own checks
(settlement.views) name the same roles."""

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pinzhi.accounts.models import Role

register = template.Library()

_MINE = {"settlement-me", "settlement-me-month"}


@register.simple_tag(takes_context=True)
def settlement_nav(context) -> list[dict]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    match = request.resolver_match
    current = (match.url_name if match else "") or ""
    items = []
    if user.has_role(Role.SETTLEMENT_VIEW):
        items.append({"url": reverse("settlement-months"), "label": _("Settlement"),
                      "active": current.startswith("settlement-") and current not in _MINE})
    if user.agent_id:
        items.append({"url": reverse("settlement-me"), "label": _("My statement"),
                      "active": current in _MINE})
    return items
