"""Template helpers for the pages that write (void)."""

from django import template

from pinzhi.core.voiding import VOID_KINDS

register = template.Library()


@register.simple_tag
def void_target(obj, user):
    """(kind, key) when `user` may void `obj` (still live), else None."""
    kind = VOID_KINDS.get(obj._meta.model_name)
    if kind is None or obj.voided_at is not None or not user.may_void(kind.kind):
        return None
    return kind.kind, getattr(obj, kind.key_field)
