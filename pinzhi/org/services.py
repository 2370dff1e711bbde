"""Writes to the organisation that cross rows."""

from django.db import transaction

from .models import Unit


def rebuild_unit_paths() -> int:
    """Recompute every unit's materialised path from its parent; return how many changed.

    Units are few (thousands at most), so this walks them in memory and writes back in
    bulk only the paths that changed.
    """
    units = list(Unit.objects.only("id", "code", "parent_id", "path"))
    by_id = {u.id: u for u in units}
    paths: dict[int, str] = {}

    def path_of(unit: Unit, seen: frozenset = frozenset()) -> str:
        if unit.id in paths:
            return paths[unit.id]
        if unit.id in seen:
            raise ValueError(f"unit {unit.code} is its own ancestor")
        parent = by_id.get(unit.parent_id)
        prefix = path_of(parent, seen | {unit.id}) if parent else "/"
        paths[unit.id] = f"{prefix}{unit.code}/"
        return paths[unit.id]

    changed = []
    for unit in units:
        new = path_of(unit)
        if unit.path != new:
            unit.path = new
            changed.append(unit)
    with transaction.atomic():
        Unit.objects.bulk_update(changed, ["path"], batch_size=1000)
    return len(changed)
