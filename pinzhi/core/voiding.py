"""Voiding a recorded fact (rules §3): never deleted, voided with a reason, audited.

Each area registers its kinds of fact with what must hold before one is voided (`guard`)
and what was derived from it that must follow (`followers`, called in the same
transaction). Later areas add followers to existing kinds, e.g. callbacks to `policy`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils import timezone

from .models import Event


class VoidRefused(Exception):
    """The fact cannot be voided (unknown, already voided, not allowed, still in use)."""


@dataclass
class VoidKind:
    kind: str
    model: type[models.Model]
    key_field: str
    plural: str
    guard: Callable[[models.Model], str | None] | None = None
    followers: list[Callable] = field(default_factory=list)
    # For facts keyed by several fields (an attempt: policy/round/time): key -> lookups.
    lookup: Callable[[str], dict] | None = None
    key_help: str = ""


VOID_KINDS: dict[str, VoidKind] = {}


def register_void_kind(kind: VoidKind) -> VoidKind:
    VOID_KINDS[kind.kind] = kind
    return kind


def add_follower(kind: str, follower: Callable) -> None:
    """`follower(obj, *, by, now)` is called when a fact of `kind` is voided."""
    VOID_KINDS[kind].followers.append(follower)


def resolve_kind(name: str) -> VoidKind:
    for kind in VOID_KINDS.values():
        if name in (kind.kind, kind.plural):
            return kind
    raise VoidRefused(f"unknown kind {name!r}; known: {', '.join(sorted(VOID_KINDS))}")


def void_fact(*, kind: str, key: str, reason: str, by=None, ip: str | None = None):
    """Void the fact `kind`/`key` for `reason`; `by` None is the system account."""
    spec = resolve_kind(kind)
    reason = (reason or "").strip()
    if not reason:
        raise VoidRefused("a reason is required")
    if by is not None and not by.may_void(spec.kind):
        raise VoidRefused(f"{by.username} may not void a {spec.kind}")
    with transaction.atomic():
        try:
            lookups = spec.lookup(key) if spec.lookup else {spec.key_field: key}
        except ValueError as e:
            raise VoidRefused(f"{spec.kind} key {key!r}: {e} ({spec.key_help})") from None
        obj = spec.model.objects.select_for_update().filter(**lookups).first()
        if obj is None:
            raise VoidRefused(f"no such {spec.kind}: {key}")
        if obj.voided_at is not None:
            raise VoidRefused(f"{spec.kind} {key} was already voided on "
                              f"{timezone.localtime(obj.voided_at):%Y-%m-%d %H:%M}")
        if spec.guard and (why := spec.guard(obj)):
            raise VoidRefused(f"{spec.kind} {key} cannot be voided: {why}")
        now = timezone.now()
        obj.voided_at, obj.voided_by, obj.void_reason, obj.updated_at = now, by, reason, now
        obj.save(update_fields=["voided_at", "voided_by", "void_reason", "updated_at"])
        Event.objects.create(at=now, actor=by, action=f"{spec.kind}.voided", kind=spec.kind,
                             key=key, data={"reason": reason}, ip=ip)
        for follower in spec.followers:
            follower(obj, by=by, now=now)
    return obj
