"""Reading the versioned catalogue and thresholds: the version in force for an agent."""

import datetime as dt

from pinzhi.core.versions import in_force, path_codes

from .models import StandingScheme, ViolationVersion
from .scoring import Scheme


def version_in_force(code: str, *, on: dt.date, unit_path: str) -> ViolationVersion | None:
    """The catalogue version of `code` for a case that occurred on `on` in that subtree."""
    versions = ViolationVersion.objects.filter(type__code=code, valid_from__lte=on) \
        .select_related("unit", "type")
    return in_force(((v.unit.code if v.unit else None, v.valid_from, v) for v in versions),
                    on=on, path=path_codes(unit_path))


class Catalogue:
    """All versions in memory, for pricing many cases at once (imports, rules)."""

    def __init__(self):
        self.versions: dict[str, list] = {}
        for v in ViolationVersion.objects.select_related("unit", "type"):
            entry = (v.unit.code if v.unit else None, v.valid_from, v)
            self.versions.setdefault(v.type.code, []).append(entry)

    def price(self, code: str, *, on: dt.date, unit_path: str) -> ViolationVersion | None:
        return in_force(self.versions.get(code, []), on=on, path=path_codes(unit_path))


def scheme_in_force(*, on: dt.date, unit_path: str = "") -> Scheme:
    schemes = StandingScheme.objects.filter(valid_from__lte=on).select_related("unit")
    found = in_force(((s.unit.code if s.unit else None, s.valid_from, s) for s in schemes),
                     on=on, path=path_codes(unit_path))
    if found is None:
        from .scoring import DEFAULT_SCHEME

        return DEFAULT_SCHEME
    return Scheme.from_json(found.lines, found.single_case_termination_tenths)
