"""Template helpers of the quality pages: points, badges, labels by the active language."""

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from pinzhi.quality.scoring import points

register = template.Library()

STANDING_LABELS = {
    "good": _("good"),
    "warned": _("warned"),
    "restricted": _("restricted"),
    "failed": _("failed"),
    "termination": _("termination recommended"),
}
CONSEQUENCE_LABELS = {
    "warning_letter": _("warning letter"),
    "remedial_training": _("remedial training"),
    "no_promotion": _("no promotion this cycle"),
    "no_club": _("not eligible for the top-sales club"),
    "no_maintenance": _("fails the maintenance assessment"),
    "termination_review": _("branch decides on ending the contract"),
}
# Restrained: grey for the settled states, amber while open, red for what costs points.
CASE_BADGES = {
    "draft": "info",
    "confirmed": "danger",
    "dismissed": "secondary",
    "appealed": "warning",
    "upheld": "danger",
    "overturned": "success",
}
STANDING_BADGES = {
    "good": "success",
    "warned": "warning",
    "restricted": "warning",
    "failed": "danger",
    "termination": "danger",
}


@register.filter
def pts(tenths):
    """Integer tenths -> '10.0' (points have one decimal place, rules §1)."""
    return "—" if tenths is None else f"{points(tenths)}"


@register.filter
def case_badge(status):
    return CASE_BADGES.get(status, "secondary")


@register.filter
def standing_badge(code):
    return STANDING_BADGES.get(code, "secondary")


@register.filter
def standing_label(code):
    return STANDING_LABELS.get(code, code)


@register.filter
def consequence_labels(codes):
    return [CONSEQUENCE_LABELS.get(c, c) for c in codes or []]


@register.filter
def vname(version):
    """A catalogue version's name in the active language."""
    if version is None:
        return ""
    english = (get_language() or "").startswith("en")
    return (version.name_en if english else version.name_zh) or version.type.code
