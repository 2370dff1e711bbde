"""Template helpers: money, status badges, masked values with their reveal button."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from pinzhi.core.money import format_yuan
from pinzhi.core.reveal import REVEALABLE

register = template.Library()

# Restrained colours: green only for the normal state, grey for the ended ones, amber and
# red for what needs attention.
BADGE_CLASSES = {
    "in_force": "success",
    "active": "success",
    "cooling_off_cancelled": "warning",
    "surrendered": "secondary",
    "lapsed": "danger",
    "terminated": "secondary",
}


@register.filter
def yuan(fen):
    """Integer fen -> '12,345.50' (rules §1: never a float)."""
    return format_yuan(fen)


@register.filter
def tenths(value):
    """Integer tenths of a point -> '2.5' (quality.scoring.points)."""
    from pinzhi.quality.scoring import points

    return points(int(value or 0))


@register.filter
def badge_class(status):
    return BADGE_CLASSES.get(status, "secondary")


@register.inclusion_tag("web/_masked.html", takes_context=True)
def masked(context, kind, obj, field):
    """The masked value of a whitelisted field, and a reveal button for those allowed."""
    prop = REVEALABLE[kind][field]  # a KeyError here is a template bug, not user input
    key = obj.policy_no if kind == "policy" else obj.code
    user = context["request"].user
    value = getattr(obj, prop)
    reveal_url = None
    if value and user.may_unmask():
        reveal_url = reverse(f"{kind}-unmask", args=[key, field])
    return {"value": value, "reveal_url": reveal_url, "dom_id": f"{kind}-{field}"}


@register.filter
def flag(value):
    """A feed's `true`/`false` as a mark read at a glance, the word kept for screen
    readers; anything else as it is."""
    if value in ("true", True):
        return format_html('<span class="text-success" title="{0}">✓<span '
                           'class="visually-hidden">{0}</span></span>', _("yes"))
    if value in ("false", False):
        return format_html('<span class="text-danger fw-semibold" title="{0}">✗<span '
                           'class="visually-hidden">{0}</span></span>', _("no"))
    return value
