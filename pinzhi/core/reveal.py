"""Showing a full ID number or phone number (rules §9): who may, which fields, and the log.

The one implementation behind the page's "show" button and the API's `unmask` endpoint.
The whitelist is explicit: a field is never revealable because its name looks sensitive.
"""

from .models import Event

# kind -> {field: the model property that gives its masked form}
REVEALABLE = {
    "policy": {
        "applicant_id_number": "applicant_id_masked",
        "applicant_phone": "applicant_phone_masked",
        "insured_id_number": "insured_id_masked",
    },
    "agent": {
        "id_number": "id_number_masked",
        "phone": "phone_masked",
    },
}


def may_reveal(user, kind: str, field: str) -> bool:
    return user.may_unmask() and field in REVEALABLE.get(kind, {})


def reveal(*, user, obj, kind: str, key: str, field: str, via: str, ip: str | None) -> str:
    """The full value of `field` of `obj` (already fetched through restrict(user)), logged."""
    if not may_reveal(user, kind, field):
        raise PermissionError(f"{user} may not see {kind}.{field}")
    Event.objects.create(actor=user, action="unmask", kind=kind, key=key,
                         data={"field": field, "via": via}, ip=ip or None)
    return getattr(obj, field)
