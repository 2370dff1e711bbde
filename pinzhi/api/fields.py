"""Serializer fields for what the API must never get wrong: money and personal numbers."""

from collections.abc import Callable

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pinzhi.core.masking import mask_id_number, mask_phone
from pinzhi.core.money import yuan

YUAN_SCHEMA = {
    "type": "string",
    "format": "decimal",
    "pattern": r"^-?\d+\.\d{2}$",
    "example": "1200.00",
    "description": "Yuan with exactly 2 decimals, as a string (CNY).",
}


class ReadOnlyField(serializers.Field):
    """A field that only renders: the API is read-only, and the schema says so."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)


@extend_schema_field(YUAN_SCHEMA)
class YuanField(ReadOnlyField):
    """Whole fen in the database, a yuan string on the wire ("1200.00").

    A string, not a JSON number: clients parse JSON numbers as binary floats, and money
    must never pass through a float (rules §1).
    """

    def to_representation(self, value):
        return str(yuan(value))


@extend_schema_field(OpenApiTypes.STR)
class MaskedField(ReadOnlyField):
    """An ID number or phone number, masked for every role (rules §9).

    The full value is only served by the audited `unmask` endpoints.
    """

    def __init__(self, mask: Callable[[str | None], str], **kwargs):
        self.mask = mask
        super().__init__(**kwargs)

    def to_representation(self, value):
        return self.mask(value)


def masked_id_number(source: str) -> MaskedField:
    return MaskedField(
        mask_id_number, source=source,
        help_text="masked (440106********1234); the full value: the `unmask` endpoint",
    )


def masked_phone(source: str) -> MaskedField:
    return MaskedField(
        mask_phone, source=source,
        help_text="masked (138****5678); the full value: the `unmask` endpoint",
    )


@extend_schema_field({"type": "array", "items": {"type": "string"}})
class MaskedPhoneListField(ReadOnlyField):
    """A unit's `;`-separated landlines, as a list, each masked like any phone.

    Office landlines are the company's, not a customer's; they are masked all the same
    because the API masks every phone number it serves (rules §9).
    """

    def to_representation(self, value):
        return [mask_phone(p) for p in (value or "").split(";") if p]


class OneOf(serializers.CharField):
    """A code among `values`, listed in its description rather than as an enum: several
    areas have fields of the same names (`kind`, `channel`, `outcome`) with other choices,
    and the schema's enum components are named by field, so they would collide."""

    def __init__(self, values, **kwargs):
        self.values = list(values)
        kwargs.setdefault("help_text", "one of: " + ", ".join(self.values))
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value not in self.values:
            raise serializers.ValidationError("one of: " + ", ".join(self.values))
        return value

